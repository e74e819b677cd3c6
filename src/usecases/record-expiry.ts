import { grantChangesFromExpiry } from '../core/decision-record.js';
import type { DecisionNotes } from '../ports.js';
import type { ExpireReport } from './expire.js';
import { recordDecision, type RecordDecisionResult } from './record-decision.js';

/**
 * Records an expire run as a decision note (kind `expire`) on the commit whose grants lapsed: each grant
 * whose access it removed (an expiry needs nobody's approval) and each IAM operation with its outcome.
 * Nothing is recorded for a dry run or a run that removed nothing.
 */
export async function recordExpiry(notes: DecisionNotes, report: ExpireReport, options: { dir: string; at: Date; remote?: string; key?: string }): Promise<RecordDecisionResult | undefined> {
  if (report.dryRun || !report.branch || report.results.length === 0) return undefined;
  const removed = new Set(report.results.filter((r) => r.status === 'done').map((r) => r.operation.grant));
  const grants = grantChangesFromExpiry(report.recorded.filter((r) => r.accessLapsed && removed.has(r.file)));
  return recordDecision(
    notes,
    { kind: 'expire', commit: report.branch.base, recordedAt: options.at, dir: options.dir, rulesSha: report.branch.base, grants, operations: report.results },
    { ...(options.remote === undefined ? {} : { remote: options.remote }), ...(options.key === undefined ? {} : { key: options.key }) },
  );
}
