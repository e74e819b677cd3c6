import type { ApprovalResult, GrantEvaluation, RoleEvaluation } from '../core/approval/approval-result.js';
import { countMissingApprovals } from '../core/approval/missing-approvals.js';

const STATUS_WORD = { approved: 'APPROVED', pending: 'APPROVALS MISSING', invalid: 'INVALID' } as const;

/** The terminal view of an approval result: the verdict first, then each grant and what it still needs. */
export function renderApprovalText(result: ApprovalResult, header: string[] = []): string {
  const lines: string[] = [`${STATUS_WORD[result.status]}: ${result.why}`, ...header];
  for (const grant of result.grants) lines.push('', ...grantLines(grant));
  if (result.rulesChange) {
    lines.push('', `rules change: ${result.rulesChange.files.join(', ')}`, `  ${roleLine(result.rulesChange)}`);
  }
  if (result.ignoredReviews.length > 0) {
    lines.push('', 'reviews that do not count:', ...result.ignoredReviews.map((r) => `  ${r.why}`));
  }
  if (result.errors.length > 0) {
    lines.push('', `errors (${result.errors.length}):`, ...result.errors.map((d) => `  ${d.file}:${d.line}:${d.column} ${d.rule} ${d.message}`));
  }
  if (result.warnings.length > 0) {
    lines.push('', `warnings (${result.warnings.length}):`, ...result.warnings.map((d) => `  ${d.file}:${d.line}:${d.column} ${d.rule} ${d.message}`));
  }
  if (result.status === 'pending') {
    const n = countMissingApprovals(result);
    lines.push('', `${n} approval${n === 1 ? '' : 's'} missing`);
  }
  return lines.join('\n');
}

function grantLines(grant: GrantEvaluation): string[] {
  const level = grant.sensitivity ? ` (${grant.sensitivity.level})` : '';
  const lines = [`${grant.file}: ${grant.user} -> ${grant.resource}${level}, ${grant.change}: ${grant.status}${grant.breakGlass ? ' as BREAK-GLASS' : ''}`];
  if (grant.breakGlass) {
    lines.push(`  BREAK-GLASS: approved at once; to be ratified within ${grant.breakGlass.ratifyWithin} of the merge by:`);
    for (const role of grant.roles) lines.push(`    ${role.role}: ${role.candidates.join(' or ') || 'nobody can'}`);
    lines.push(`  why: ${grant.why}`);
    return lines;
  }
  if (grant.roles.length === 0 && grant.status !== 'invalid') lines.push('  needs nobody\'s approval');
  for (const role of grant.roles) lines.push(`  ${roleLine(role)}`);
  lines.push(`  why: ${grant.why}`);
  for (const d of grant.errors) lines.push(`  error ${d.line}:${d.column} ${d.rule} ${d.message}`);
  return lines;
}

function roleLine(role: RoleEvaluation): string {
  if (role.status === 'satisfied') return `${role.role}: approved by ${role.satisfiedBy}`;
  return role.candidates.length > 0
    ? `${role.role}: MISSING (can approve: ${role.candidates.join(', ')})`
    : `${role.role}: MISSING (nobody can approve: ${role.why})`;
}
