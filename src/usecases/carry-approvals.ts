import type { EquivalentCommit, Review } from '../core/approval/pull-request.js';
import type { PullRequestReader, RepoRef } from '../ports.js';

/** At most this many earlier commits are looked up per evaluation (one request each). */
export const MAX_COMMITS_LOOKED_UP = 5;

/**
 * The earlier commits of a pull request whose approvals still hold: those on which the app itself
 * recorded (in its own check run) one of the fingerprints the judged head has. Only commits someone
 * approved are looked up, newest first. Without the app's id nothing is looked up: a fingerprint that
 * cannot be traced to the app proves nothing (docs/decisions/0024).
 */
export async function findEquivalentCommits(
  reader: Pick<PullRequestReader, 'readRecordedFingerprints'>,
  repo: RepoRef,
  args: { headSha: string; reviews: readonly Review[]; fingerprints: readonly string[]; appId: number | undefined },
): Promise<EquivalentCommit[]> {
  if (args.appId === undefined || args.fingerprints.length === 0) return [];
  const wanted = new Set(args.fingerprints);
  const approved = [...args.reviews]
    .filter((r) => r.state === 'APPROVED' && r.commitSha !== args.headSha)
    .sort((a, b) => Date.parse(b.submittedAt) - Date.parse(a.submittedAt))
    .map((r) => r.commitSha);
  const commits = [...new Set(approved)].slice(0, MAX_COMMITS_LOOKED_UP);
  const equivalent: EquivalentCommit[] = [];
  for (const sha of commits) {
    const recorded = await reader.readRecordedFingerprints(repo, sha, args.appId);
    if (recorded.some((f) => wanted.has(f))) {
      equivalent.push({ sha, why: `${sha.slice(0, 7)} makes the same access changes as ${args.headSha.slice(0, 7)} under the same base rules (same grant files before and after, same rule files, same other changed files)` });
    }
  }
  return equivalent;
}
