/** What GitHub says about where a commit came from: the facts the provenance rule judges a commit by. */
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
  /** The id of the GitHub App that reported it: only the grantops app's own run vouches. */
  appId?: number;
}

/** Git's "no commit" in push events: the push created the branch. */
export const NULL_SHA = '0000000000000000000000000000000000000000';
