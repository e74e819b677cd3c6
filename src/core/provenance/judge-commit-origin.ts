import type { CommitOrigin, PullRequestOrigin } from './push-snapshot.js';

/**
 * Whether GitHub vouches for a commit: it came from a pull request merged into the branch whose grantops
 * check, reported by the grantops app itself (its app id), concluded `success` on that pull request's final
 * head commit. Anything else — a direct push, an admin merging past a failing or missing check, a pull
 * request merged into another branch, a check of the same name from another app or a workflow — does not.
 */

/** The check that vouches: its name, and the id of the GitHub App that must have reported it. */
export interface VouchingCheck {
  name: string;
  appId: number;
}

export type RejectionReason =
  | 'direct-push'
  | 'not-merged'
  | 'other-branch'
  | 'check-missing'
  | 'check-pending'
  | 'check-failed'
  | 'unknown-commit';

export type CommitVerdict =
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

export function judgeCommitOrigin(origin: CommitOrigin | undefined, sha: string, branch: string, check: VouchingCheck): CommitVerdict {
  const commit = `commit ${shortSha(sha)}`;
  if (origin === undefined) {
    return { ok: false, reason: 'unknown-commit', message: `${commit} could not be looked up on GitHub` };
  }
  if (origin.pullRequests.length === 0) {
    return { ok: false, reason: 'direct-push', message: `${commit} did not come from a pull request (pushed directly to ${branch})` };
  }
  let best: CommitVerdict & { ok: false } = { ok: false, reason: 'direct-push', message: '' };
  for (const pr of origin.pullRequests) {
    const verdict = judgePullRequest(pr, commit, branch, check);
    if (verdict.ok) return verdict;
    if (best.message === '' || CLOSENESS[verdict.reason] > CLOSENESS[best.reason]) best = verdict;
  }
  return best;
}

function judgePullRequest(pr: PullRequestOrigin, commit: string, branch: string, check: VouchingCheck): CommitVerdict {
  const name = `pull request #${pr.number}`;
  const checkName = check.name;
  if (pr.mergedAt === null) {
    return { ok: false, reason: 'not-merged', pullRequest: pr.number, message: `${commit} belongs to ${name}, which was never merged: it reached ${branch} another way` };
  }
  if (pr.baseRef !== branch) {
    return { ok: false, reason: 'other-branch', pullRequest: pr.number, message: `${commit} came through ${name}, merged into "${pr.baseRef}" rather than "${branch}"` };
  }
  const head = `its final head ${shortSha(pr.headSha)}`;
  const named = pr.checkRuns.filter((run) => run.name === checkName);
  // Any app, or a workflow job, can report a check run with this name: only the grantops app's own counts.
  const runs = named.filter((run) => run.appId === check.appId);
  if (runs.length === 0) {
    const impostors = [...new Set(named.map((run) => (run.appId === undefined ? 'an unknown app' : `app ${run.appId}${run.app ? ` (${run.app})` : ''}`)))];
    const others = impostors.length === 0 ? '' : `; the "${checkName}" check there was reported by ${impostors.join(', ')}, not the grantops app (app ${check.appId}), and does not count`;
    return { ok: false, reason: 'check-missing', pullRequest: pr.number, message: `${commit} came through ${name}, merged with no "${checkName}" check of the grantops app on ${head}${others}` };
  }
  const running = runs.find((run) => run.status !== 'completed');
  if (running) {
    return { ok: false, reason: 'check-pending', pullRequest: pr.number, message: `${commit} came through ${name}, merged while the "${checkName}" check on ${head} was ${running.status.replace('_', ' ')}` };
  }
  // Every run of the app's check must pass: an earlier success cannot outvote a later failing run.
  const failed = runs.find((run) => run.conclusion !== 'success');
  if (failed) {
    return { ok: false, reason: 'check-failed', pullRequest: pr.number, message: `${commit} came through ${name}, merged although the "${checkName}" check on ${head} concluded ${failed.conclusion ?? 'nothing'} (merged past the check)` };
  }
  return { ok: true, pullRequest: pr.number };
}

export function shortSha(sha: string): string {
  return /^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 7) : sha;
}
