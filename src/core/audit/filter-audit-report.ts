import { classifyPath } from '../parse-access-repo.js';
import type { AuditReport } from './audit-report.js';

export interface AuditFilter {
  /** Only events at or after this time. */
  since?: Date;
  /** Only events at or before this time. */
  until?: Date;
  user?: string;
  resource?: string;
}

/**
 * Narrows a report to a window and a person or resource. The timelines are always built from the whole
 * history first (a grant requested last year may still be active), then cut: so `--since` shows what
 * happened in the window, with every state computed from everything before it.
 */
export function filterAuditReport(report: AuditReport, filter: AuditFilter): AuditReport {
  const user = filter.user?.toLowerCase();
  const resource = filter.resource;
  const matches = (u: string | undefined, r: string | undefined) =>
    (user === undefined || u?.toLowerCase() === user) && (resource === undefined || r === resource);
  const fileMatches = (file: string) => {
    const layout = classifyPath(report.dir, file);
    return layout.kind === 'grant' ? matches(layout.login, layout.resource) : user === undefined && resource === undefined;
  };
  const inWindow = (at: string | undefined) => {
    if (at === undefined) return filter.since === undefined && filter.until === undefined;
    const t = Date.parse(at);
    return (filter.since === undefined || t >= filter.since.getTime()) && (filter.until === undefined || t <= filter.until.getTime());
  };
  const timed = filter.since !== undefined || filter.until !== undefined;

  const grants = report.grants
    .filter((g) => matches(g.user, g.resource))
    .map((g) => ({ ...g, events: g.events.filter((e) => inWindow(e.at)) }))
    .filter((g) => !timed || g.events.length > 0);
  const filtered: AuditReport = {
    ...report,
    grants,
    summary: {
      activeGrants: report.summary.activeGrants.filter((g) => matches(g.user, g.resource)),
      unrecordedChanges: report.summary.unrecordedChanges.filter((c) => (c.user === undefined ? user === undefined && resource === undefined : matches(c.user, c.resource)) && inWindow(c.at)),
      provisionedAfterExpiry: report.summary.provisionedAfterExpiry.filter((g) => matches(g.user, g.resource)),
      recordProblems: user === undefined && resource === undefined ? report.summary.recordProblems : [],
    },
  };
  if (report.findings) {
    filtered.findings = report.findings.filter((f) => (f.files.length === 0 ? user === undefined && resource === undefined : f.files.some(fileMatches)) && (f.at === undefined || inWindow(f.at)));
  }
  return filtered;
}
