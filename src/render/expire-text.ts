import { describeOperation } from '../core/plan/iam-operation.js';
import type { ExpireReport } from '../usecases/expire.js';

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What `grantops expire` prints: what lapsed, what left IAM, what was recorded where, who was told. */
export function renderExpireText(report: ExpireReport): string {
  const lines: string[] = [];
  const would = report.dryRun ? 'would ' : '';
  for (const d of report.diagnostics) if (d.severity === 'error' || d.rule !== 'grant/lapsed') lines.push(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`);
  if (report.expiry.revocations.length === 0) lines.push(`No grant has lapsed at ${report.expiry.now}.`);
  for (const r of report.expiry.revocations) {
    const verb = r.action === 'delete' ? 'delete the file' : 'set status: expired';
    lines.push(`lapsed ${r.file}: expired ${r.expires}; ${would}${verb} (${r.why})`);
  }
  if (report.operations.length > 0) lines.push(`IAM (${report.dryRun ? 'dry run, nothing changed' : 'removed'}):`);
  const results = new Map(report.results.map((r) => [r.operation, r]));
  for (const op of report.operations) {
    const result = results.get(op);
    lines.push(`  ${result ? (result.status === 'done' ? 'ok' : 'FAILED') : '-'} ${describeOperation(op)}${result?.error ? `: ${result.error}` : ''}`);
  }
  for (const m of report.manual) {
    const where = m.outcome?.issue ? `issue #${m.outcome.issue.number} (${m.outcome.status === 'opened' ? 'opened' : 'already open or done'})` : m.outcome?.status === 'planned' ? 'an issue would be opened' : 'no GitHub connection: carry it out by hand';
    lines.push(`manual ${m.change.kind} of ${m.change.resource} for ${m.change.operations[0]!.principal}, owners ${m.owners.join(', ') || 'none'}: ${where}`);
  }
  for (const b of report.breakGlass) lines.push(`break-glass ${b.file} (merged ${b.mergedAt}${b.pullRequest ? `, #${b.pullRequest}` : ''}): ${b.status.toUpperCase()}: ${b.why}${b.recorded ? '; ratification recorded' : ''}`);
  for (const r of report.deferred) lines.push(`deferred ${r.file}: its access was not removed this run, so its revocation is not recorded yet`);
  if (report.branch?.commit) {
    lines.push(`${report.branch.commit.created ? 'committed' : 'unchanged'} ${report.branch.name} at ${report.branch.commit.sha.slice(0, 12)} (on ${report.branch.base.slice(0, 12)})${report.branch.pushed ? ', pushed' : ''}`);
  } else if (report.branch && report.recorded.length > 0) {
    lines.push(`${would}commit ${count(report.recorded.length, 'revocation')} on ${report.branch.name}`);
  }
  if (report.pullRequest) lines.push(`revocation pull request #${report.pullRequest.number} ${report.pullRequest.action}: ${report.pullRequest.url}`);
  else if (report.branch?.commit && !report.branch.pushed && report.pullRequest === undefined) lines.push(`the revocation is on branch ${report.branch.name}; push it and open a pull request (or run with --open-pr)`);
  for (const n of report.notices) {
    const status = n.outcome ? (n.outcome.status === 'opened' ? `notice #${n.outcome.issue!.number} opened` : n.outcome.status === 'exists' ? `notice #${n.outcome.issue!.number} already sent` : 'a notice would be sent') : 'not notified (no GitHub connection)';
    lines.push(`expiring ${n.grant.file}: access ends ${n.grant.expires}; ${status}${n.unused ? ` (marked: ${n.unused})` : ''}`);
  }
  for (const c of report.closedNotices) {
    lines.push(`${c.status === 'closed' ? 'closed' : 'would close'} notice #${c.number} (${c.file}, ${c.day}): ${c.reason}`);
  }
  lines.push(...report.notes);
  const removed = report.results.filter((r) => r.status === 'done').length;
  lines.push(
    `${report.ok ? 'Done' : 'Not done'}: ${count(report.expiry.revocations.length, 'lapsed grant')}, ${report.dryRun ? `${count(report.operations.length, 'IAM removal')} planned` : `${count(removed, 'IAM removal')}`}, ${count(report.manual.length, 'manual change')}, ${count(report.expiry.expiring.length, 'grant')} expiring within ${report.expiry.warnBefore ?? '(no warnBefore)'}.`,
  );
  return lines.join('\n');
}

/** The same report as data, for scripts. */
export function renderExpireJson(report: ExpireReport): string {
  return JSON.stringify(
    {
      ok: report.ok,
      dryRun: report.dryRun,
      now: report.expiry.now,
      revocations: report.expiry.revocations,
      recorded: report.recorded.map((r) => r.file),
      deferred: report.deferred.map((r) => r.file),
      operations: report.operations.map((op) => ({ ...op, status: report.results.find((r) => r.operation === op)?.status ?? 'planned' })),
      manual: report.manual.map((m) => ({ key: m.change.key, resource: m.change.resource, owners: m.owners, issue: m.outcome?.issue?.number ?? null, status: m.outcome?.status ?? null })),
      branch: report.branch ?? null,
      pullRequest: report.pullRequest ?? null,
      expiring: report.notices.map((n) => ({ ...n.grant, notice: n.outcome?.issue?.number ?? null, status: n.outcome?.status ?? null, unused: n.unused ?? null })),
      closedNotices: report.closedNotices.map((c) => ({ number: c.number, file: c.file, day: c.day, reason: c.reason, status: c.status })),
      diagnostics: report.diagnostics,
      notes: report.notes,
      breakGlass: report.breakGlass.map((b) => ({ file: b.file, status: b.status, deadline: b.deadline, mergedAt: b.mergedAt, commit: b.commit, pullRequest: b.pullRequest ?? null, source: b.source, recorded: b.recorded === true, why: b.why })),
    },
    null,
    2,
  );
}
