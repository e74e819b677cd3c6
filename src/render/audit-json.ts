import type { AuditReport } from '../core/audit/audit-report.js';

/** The whole report for tools: coverage, per-grant timelines, the summary and (with --verify) findings. */
export function renderAuditJson(report: AuditReport): string {
  return JSON.stringify(report, null, 2);
}
