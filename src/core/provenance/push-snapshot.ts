/**
 * An eager, plain snapshot of one push: which access files it added or modified, the commits that did
 * it, and what GitHub says about each of those commits. The provenance rule is a pure function of it.
 */
export interface PushSnapshot {
  /** `owner/name`. */
  repository: string;
  /** The branch pushed to, without `refs/heads/`. */
  branch: string;
  /** The commit the branch pointed at before the push; absent when the push created the branch. */
  before?: string;
  after: string;
  changedFiles: ChangedFile[];
  /** Keyed by commit SHA; holds every commit named in `changedFiles`. */
  commits: Record<string, CommitOrigin>;
}

export type ChangeStatus = 'added' | 'modified';

/** A file whose content at `after` differs from `before` (deleted files give access up and are not listed). */
export interface ChangedFile {
  /** Repository-relative path with forward slashes. */
  path: string;
  status: ChangeStatus;
  /** The pushed commits that brought its content, newest first. */
  commits: string[];
}

export interface CommitOrigin {
  sha: string;
  /** The pull requests GitHub associates with the commit (`GET /repos/{o}/{r}/commits/{sha}/pulls`). */
  pullRequests: PullRequestOrigin[];
}

export interface PullRequestOrigin {
  number: number;
  url?: string;
  /** ISO 8601; null while the pull request is open or when it was closed unmerged. */
  mergedAt: string | null;
  /** The branch it targets. */
  baseRef: string;
  /** Its final head commit: the commit its checks ran on. */
  headSha: string;
  /** The latest check runs on `headSha` carrying the grantops check's name. */
  checkRuns: CheckRunOrigin[];
}

export interface CheckRunOrigin {
  name: string;
  /** `queued`, `in_progress`, `completed`, … */
  status: string;
  /** `success`, `failure`, `neutral`, `cancelled`, `skipped`, `timed_out`, `action_required`, or null while running. */
  conclusion: string | null;
  /** The slug of the app that reported it, when known. */
  app?: string;
}

/** Git's "no commit" in push events: the push created the branch. */
export const NULL_SHA = '0000000000000000000000000000000000000000';
