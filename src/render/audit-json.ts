import type { AuditReport } from '../core/audit/audit-report.js';

/**
 * The whole report for tools: coverage, per-grant timelines, the summary and (with --verify) findings.
 * Whether access is provisioned is known only from decision notes: without them it is `null`, not false.
 */
export function renderAuditJson(report: AuditReport): string {
  if (!report.coverage.notesMissing) return JSON.stringify(report, null, 2);
  const unknown = {
    ...report,
    grants: report.grants.map((g) => ({ ...g, provisioned: null })),
    summary: { ...report.summary, provisionedAfterExpiry: null },
  };
  return JSON.stringify(unknown, null, 2);
}
