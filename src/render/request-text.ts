import { describeApprovers } from '../core/request/request-pull-request.js';
import type { RequestAccessReport } from '../usecases/request.js';

/** What `grantops request` prints: who asks, the grant, who must approve and why, where it went. */
export function renderRequestText(report: RequestAccessReport): string {
  const lines: string[] = [];
  if (report.requester) lines.push(`requester: ${report.requester} (${report.requesterWhy})`);
  for (const d of report.diagnostics) lines.push(`${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`);
  const { plan, approval, pullRequestText: text } = report;
  if (plan && text) {
    lines.push(`${text.title}: ${plan.previousText === undefined ? 'new file' : 'edits'} ${plan.path}`);
    lines.push(`  expires ${plan.grant.expires}, approval valid until ${plan.grant.approvalExpires ?? 'none'}`);
    for (const note of plan.notes) lines.push(`  ${note}`);
    if (approval) {
      lines.push('who must approve:');
      lines.push(...describeApprovers(approval.grants.find((g) => g.file === plan.path), approval).map((l) => `  ${l.replace(/^- /, '')}`));
    }
  }
  if (report.commit) {
    lines.push(`${report.commit.created ? 'committed' : 'unchanged'} on branch ${report.commit.branch} at ${report.commit.sha.slice(0, 12)}${report.pushed ? ', pushed' : ''}`);
  }
  if (report.pullRequest) lines.push(`pull request #${report.pullRequest.number} ${report.pullRequest.action}: ${report.pullRequest.url}`);
  else if (report.commit) lines.push(`push it and open a pull request: git push origin ${report.commit.branch} (or run again with --open-pr)`);
  lines.push(...report.notes);
  if (report.ok && text) lines.push(`outlook: ${text.outlook}`);
  else if (!report.ok) lines.push('Nothing was committed.');
  return lines.join('\n');
}
