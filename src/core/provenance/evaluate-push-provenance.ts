import { classifyPath } from '../parse-access-repo.js';
import type { ChangeStatus, CommitOrigin, PullRequestOrigin, PushSnapshot } from './push-snapshot.js';

/**
 * The provenance rule: an access file a push added or changed is applied only when every pushed commit
 * that brought its content came from a pull request merged into the pushed branch whose grantops check
 * concluded `success` on that pull request's final head commit. Anything else — a direct push, an admin
 * merging past a failing or missing check, a pull request merged into another branch — is withheld.
 */

export type RejectionReason =
  | 'direct-push'
  | 'not-merged'
  | 'other-branch'
  | 'check-missing'
  | 'check-pending'
  | 'check-failed'
  | 'unknown-commit';

export interface ProvenanceRejection {
  /** The access file whose change is withheld. */
  path: string;
  /** What that file is to the organisation, e.g. `grant kramer/prod-data-read`. */
  subject: string;
  commit: string;
  reason: RejectionReason;
  /** Names the commit, the file and what was wrong. */
  message: string;
  pullRequest?: number;
}

export interface Voucher {
  commit: string;
  pullRequest: number;
}

export interface FileProvenance {
  path: string;
  subject: string;
  status: ChangeStatus;
  confirmed: boolean;
  /** For each commit that passed, the pull request that vouches for it. */
  vouchers: Voucher[];
  rejections: ProvenanceRejection[];
}

export interface ProvenanceReport {
  files: FileProvenance[];
  /** Paths of the changed files that may not be applied. */
  withheld: string[];
  rejections: ProvenanceRejection[];
}

export interface ProvenanceOptions {
  /** The access directory, repository-relative. */
  dir: string;
  /** The name of the check run the grantops app reports on pull requests. */
  checkName?: string;
}

export const DEFAULT_CHECK_NAME = 'grantops';

/** Judges every access file of the push; files outside the access layout are not judged. */
export function evaluatePushProvenance(push: PushSnapshot, options: ProvenanceOptions): ProvenanceReport {
  const checkName = options.checkName ?? DEFAULT_CHECK_NAME;
  const files: FileProvenance[] = [];
  for (const changed of push.changedFiles) {
    const subject = describeAccessFile(options.dir, changed.path);
    if (subject === undefined) continue;
    const vouchers: Voucher[] = [];
    const rejections: ProvenanceRejection[] = [];
    if (changed.commits.length === 0) {
      // The content changed yet no pushed commit explains it: refuse rather than guess.
      rejections.push({
        path: changed.path,
        subject,
        commit: push.after,
        reason: 'unknown-commit',
        message: `${changed.path} (${subject}) changed between ${short(push.before ?? 'the branch start')} and ${short(push.after)} but no pushed commit touching it was found`,
      });
    }
    for (const sha of changed.commits) {
      const verdict = judgeCommit(push.commits[sha], sha, push.branch, checkName);
      if (verdict.ok) {
        vouchers.push({ commit: sha, pullRequest: verdict.pullRequest });
      } else {
        rejections.push({
          path: changed.path,
          subject,
          commit: sha,
          reason: verdict.reason,
          message: `${subject} (${changed.path}) is not applied: ${verdict.message}`,
          ...(verdict.pullRequest === undefined ? {} : { pullRequest: verdict.pullRequest }),
        });
      }
    }
    files.push({ path: changed.path, subject, status: changed.status, confirmed: rejections.length === 0, vouchers, rejections });
  }
  return {
    files,
    withheld: files.filter((f) => !f.confirmed).map((f) => f.path),
    rejections: files.flatMap((f) => f.rejections),
  };
}

type CommitVerdict =
  | { ok: true; pullRequest: number }
  | { ok: false; reason: RejectionReason; message: string; pullRequest?: number };

/** How close a failed pull request came, so the alert names the most telling one. */
const CLOSENESS: Record<RejectionReason, number> = {
  'check-failed': 5,
  'check-pending': 4,
  'check-missing': 3,
  'other-branch': 2,
  'not-merged': 1,
  'direct-push': 0,
  'unknown-commit': 0,
};

function judgeCommit(origin: CommitOrigin | undefined, sha: string, branch: string, checkName: string): CommitVerdict {
  const commit = `commit ${short(sha)}`;
  if (origin === undefined) {
    return { ok: false, reason: 'unknown-commit', message: `${commit} could not be looked up on GitHub` };
  }
  if (origin.pullRequests.length === 0) {
    return { ok: false, reason: 'direct-push', message: `${commit} did not come from a pull request (pushed directly to ${branch})` };
  }
  let best: CommitVerdict & { ok: false } = { ok: false, reason: 'direct-push', message: '' };
  for (const pr of origin.pullRequests) {
    const verdict = judgePullRequest(pr, commit, branch, checkName);
    if (verdict.ok) return verdict;
    if (best.message === '' || CLOSENESS[verdict.reason] > CLOSENESS[best.reason]) best = verdict;
  }
  return best;
}

function judgePullRequest(pr: PullRequestOrigin, commit: string, branch: string, checkName: string): CommitVerdict {
  const name = `pull request #${pr.number}`;
  if (pr.mergedAt === null) {
    return { ok: false, reason: 'not-merged', pullRequest: pr.number, message: `${commit} belongs to ${name}, which was never merged: it reached ${branch} another way` };
  }
  if (pr.baseRef !== branch) {
    return { ok: false, reason: 'other-branch', pullRequest: pr.number, message: `${commit} came through ${name}, merged into "${pr.baseRef}" rather than "${branch}"` };
  }
  const head = `its final head ${short(pr.headSha)}`;
  const runs = pr.checkRuns.filter((run) => run.name === checkName);
  if (runs.length === 0) {
    return { ok: false, reason: 'check-missing', pullRequest: pr.number, message: `${commit} came through ${name}, merged with no "${checkName}" check on ${head}` };
  }
  const running = runs.find((run) => run.status !== 'completed');
  if (running) {
    return { ok: false, reason: 'check-pending', pullRequest: pr.number, message: `${commit} came through ${name}, merged while the "${checkName}" check on ${head} was ${running.status.replace('_', ' ')}` };
  }
  // Every run of that name must pass: another app or a workflow job cannot outvote a failing grantops check.
  const failed = runs.find((run) => run.conclusion !== 'success');
  if (failed) {
    return { ok: false, reason: 'check-failed', pullRequest: pr.number, message: `${commit} came through ${name}, merged although the "${checkName}" check on ${head} concluded ${failed.conclusion ?? 'nothing'} (merged past the check)` };
  }
  return { ok: true, pullRequest: pr.number };
}

/** What an access file is to the organisation; undefined for files outside the layout. */
export function describeAccessFile(dir: string, path: string): string | undefined {
  const layout = classifyPath(dir, path);
  switch (layout.kind) {
    case 'grant':
      return `grant ${layout.login}/${layout.resource}`;
    case 'resource':
      return `resource ${layout.id} (system ${layout.system})`;
    case 'people':
      return 'the people list';
    case 'org':
      return 'the organisation settings';
    default:
      return undefined;
  }
}

function short(sha: string): string {
  return /^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 7) : sha;
}
