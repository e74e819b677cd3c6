import type { AuditReport } from '../core/audit/audit-report.js';

export const AUDIT_CSV_COLUMNS = ['time', 'user', 'resource', 'file', 'event', 'by', 'role', 'commit', 'pr', 'head_sha', 'via', 'record', 'operation', 'result', 'details'] as const;

/**
 * One row per event, oldest first, for spreadsheets; with --verify each finding is a row too, its `event`
 * the finding's rule. RFC 4180 quoting, and cells a spreadsheet would run as a formula are neutralised.
 */
export function renderAuditCsv(report: AuditReport): string {
  const rows: { at: string; cells: string[] }[] = [];
  for (const grant of report.grants) {
    for (const e of grant.events) {
      rows.push({
        at: e.at,
        cells: [e.at, grant.user, grant.resource, grant.file, e.type, e.by ?? '', e.role ?? '', e.commit ?? '', e.pr === undefined ? '' : String(e.pr), e.headSha ?? '', e.via ?? '', e.record ?? '', e.operation ?? '', e.result ?? '', e.details],
      });
    }
  }
  for (const f of report.findings ?? []) {
    rows.push({ at: f.at ?? '', cells: [f.at ?? '', '', '', f.files.join(' '), f.rule, '', '', f.commit, '', '', '', '', '', '', f.message] });
  }
  rows.sort((a, b) => (Date.parse(a.at) || 0) - (Date.parse(b.at) || 0));
  return [AUDIT_CSV_COLUMNS.join(','), ...rows.map((r) => r.cells.map(csvCell).join(','))].join('\n') + '\n';
}

function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
