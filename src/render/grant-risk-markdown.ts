import type { ApprovalResult } from '../core/approval/approval-result.js';
import { describeReach, type GrantRisk } from '../core/risk/grant-risk.js';

const signed = (n: number) => (n > 0 ? `+${n}` : `${n}`);

/**
 * The risk part of the pull-request comment: per requested grant, the resource's score and what the grant
 * does to the grantee's principal score, and any approver escalation it caused (with the evaluator's why).
 */
export function renderGrantRiskLines(result: ApprovalResult, assess: (user: string, resource: string) => GrantRisk | undefined, model: string): string[] {
  const lines: string[] = [];
  for (const g of result.grants) {
    if (g.change === 'give-up' || g.change === 'unchanged') continue;
    const risk = assess(g.user, g.resource);
    if (!risk) continue;
    const parts = [`risk ${risk.score}/100${risk.escalationPaths.length > 0 ? ` (privilege escalation: ${risk.escalationPaths.join(', ')})` : ''}`];
    if (risk.grantee) {
      const { iamUser, before, after, opens, reachesAdministrator } = risk.grantee;
      parts.push(`${iamUser}'s principal score ${before} → ${after} (${signed(after - before)})${opens.length > 0 ? `, newly able to escalate (${opens.join(', ')})` : ''}`);
      if (reachesAdministrator) parts.push(`**${iamUser} could then become an administrator**: ${describeReach(reachesAdministrator)}`);
    }
    if (risk.unresolved.length > 0) parts.push(`not fully scored: ${risk.unresolved.join('; ')}`);
    if (g.sensitivity && g.sensitivity.escalatedBy > 0) parts.push(`**approvers raised to ${g.sensitivity.level}**: ${g.sensitivity.why}`);
    lines.push(`- \`${g.user}\` → \`${g.resource}\`: ${parts.join('; ')}.`);
  }
  return lines.length === 0 ? [] : [`**Risk** (risk model ${model}):`, '', ...lines];
}
