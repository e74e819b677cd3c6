import type { ChangedFile } from '../approval/approval-input.js';
import { judgeRatification } from '../approval/ratify-break-glass.js';
import type { RecordedPullRequest } from '../decision-record.js';
import type { AuditFinding } from './audit-report.js';
import type { BlobContents } from './build-audit-report.js';
import { readGrantVersion } from './grant-version.js';
import type { AuditIndex } from './index-audit-facts.js';
import type { RepoSnapshot } from '../repo-file.js';

export interface BreakGlassVerifyInput {
  index: AuditIndex;
  contents: BlobContents;
  /** The rule files a record's `rulesSha` names, when the clone has them. */
  rulesAt: (rulesSha: string) => RepoSnapshot | null | undefined;
  now: Date;
}

/**
 * `audit --verify` for break-glass: every grant merged as break-glass must have been ratified within its
 * window by the approvers its sensitivity requires. The evidence is a `ratify` decision record on the merge
 * commit, judged again with the rules the merge was judged by (the reviews it holds must still ratify, in
 * time, from the right people); without one, only the reviews the merge's own record holds count. A grant
 * whose window is still open at `now` is no finding yet.
 */
export function verifyBreakGlass(input: BreakGlassVerifyInput): AuditFinding[] {
  const { index, contents, now } = input;
  const findings: AuditFinding[] = [];
  for (const landing of index.landings) {
    if (landing.boundary) continue;
    const broken = landing.grantChanges.filter((c) => c.after !== null && readGrantVersion(c.path, contents.get(c.after))?.breakGlass === true);
    if (broken.length === 0) continue;
    const records = index.records.get(landing.commit.sha) ?? [];
    const applied = records.find((r) => r.kind === 'apply' && r.pullRequest);
    if (!applied) continue; // no decision record at all: verify-decisions reports it
    const rules = input.rulesAt(applied.rulesSha);
    if (!rules) continue; // reported by verify-decisions as not judgeable
    const attempts: RecordedPullRequest[] = [...records.filter((r) => r.kind === 'ratify' && r.pullRequest).map((r) => r.pullRequest!), applied.pullRequest!];
    for (const change of broken) {
      const file: ChangedFile = { path: change.path, head: contents.get(change.after!)! };
      if (change.before !== null && contents.get(change.before)) file.base = contents.get(change.before)!;
      const verdicts = attempts.map(
        (pr) =>
          judgeRatification({
            rulesAtBase: rules,
            changes: [file],
            pr: { author: pr.author, headSha: pr.headSha, baseSha: applied.rulesSha, changedFiles: [change.path], reviews: pr.reviews.map((r) => ({ ...r })) },
            mergedAt: new Date(landing.commit.committedAt),
            now,
          })[0],
      );
      if (verdicts.some((v) => v === undefined || v.status !== 'unratified')) continue;
      const last = verdicts.at(-1)!;
      findings.push({
        rule: 'verify/break-glass-unratified',
        commit: landing.commit.sha,
        at: landing.commit.committedAt,
        files: [change.path],
        message: `${change.path} was merged as break-glass in ${landing.commit.sha.slice(0, 7)} (pull request #${applied.pullRequest!.number}) and ${last.why}`,
      });
    }
  }
  return findings;
}
