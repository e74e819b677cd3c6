import type { ApprovalResult, BreakGlassEvaluation, GrantEvaluation } from '../approval/approval-result.js';
import { describeUseEvidence, unusedMark, type UnusedGrantUse } from '../usage/assess-grant-use.js';
import type { GrantRequestPlan } from './plan-grant-request.js';

export interface RequestPullRequest {
  title: string;
  body: string;
  commitMessage: string;
  /** One line for the terminal: what happens next. */
  outlook: string;
}

const VERB: Record<GrantRequestPlan['shape'], string> = { new: 'Request', renewal: 'Renew', extension: 'Extend', change: 'Change' };

/** Who must approve and why, from the evaluator's result for the grant. */
export function describeApprovers(grant: GrantEvaluation | undefined, result: ApprovalResult): string[] {
  if (result.status === 'invalid') return result.errors.map((e) => `- ${e.file}:${e.line}:${e.column} ${e.message}`);
  if (!grant) return [`- ${result.why}`];
  if (grant.status === 'approved' && grant.breakGlass) return describeRatifiers(grant, grant.breakGlass);
  if (grant.status === 'approved') return [`- Approved at once, no reviewer needed: ${grant.why}`];
  return grant.roles
    .filter((r) => r.status === 'missing')
    .map((r) => `- **${r.role}**: ${r.candidates.length > 0 ? r.candidates.map((c) => `@${c}`).join(' or ') : 'nobody can'}: ${r.why}`);
}

/** A break-glass grant: nobody approves it now; these must ratify it after the merge. */
function describeRatifiers(grant: GrantEvaluation, breakGlass: BreakGlassEvaluation): string[] {
  return [
    `- **BREAK-GLASS**: approved at once, no reviewer needed: ${breakGlass.why}`,
    `- **to ratify within ${breakGlass.ratifyWithin} of the merge**, by an approving review of the merged pull request (or the next expire run revokes it):`,
    ...grant.roles.map((r) => `  - **${r.role}**: ${r.candidates.length > 0 ? r.candidates.map((c) => `@${c}`).join(' or ') : 'nobody can'}`),
  ];
}

/** What the account's usage facts say about the grant a request renews or extends, when it is unused. */
export interface PreviousUse {
  use: UnusedGrantUse;
  /** When the judgement stops: the previous access's end, for a grant whose access is over. */
  endedAt?: string;
}

function usageLine(previous: PreviousUse): string {
  const { use, endedAt } = previous;
  const until = endedAt ? ` before the access ended at ${endedAt}` : '';
  return `- **usage**: ${unusedMark(use)}${until}: ${describeUseEvidence(use, endedAt ? 'before it ended' : 'ago')} (unused after ${use.windowDays} days, \`risk.unusedAfter\`)`;
}

/**
 * The pull request a request opens: the grant (marked when the grant it continues is unused), then who
 * must approve it and why (from the evaluator).
 */
export function buildRequestPullRequest(plan: GrantRequestPlan, requester: string, approval: ApprovalResult, previousUse?: PreviousUse): RequestPullRequest {
  const { grant } = plan;
  const evaluation = approval.grants.find((g) => g.file === plan.path);
  const forWhom = requester === grant.user ? '' : ` for ${grant.user}`;
  const breakGlass = approval.status === 'approved' ? evaluation?.breakGlass : undefined;
  const title = `${grant.breakGlass ? 'BREAK-GLASS: ' : ''}${VERB[plan.shape]} ${grant.resource}${forWhom} until ${grant.breakGlass ? grant.expires.slice(0, 16).replace('T', ' ') : grant.expires.slice(0, 10)}`;
  const approvedAtOnce = approval.status === 'approved';
  const outlook = breakGlass
    ? `break-glass: the app passes it at once and merging applies it; ${evaluation!.roles.map((r) => r.role).join(' + ') || 'nobody'} must ratify it within ${breakGlass.ratifyWithin} of the merge, or the next expire run revokes it; the owners and org owners are told now`
    : approvedAtOnce
      ? evaluation?.change === 'renewal'
        ? 'a renewal inside the approval window: the app approves it at once, no reviewer needed'
        : 'no approval needed: the app approves it at once'
      : approval.status === 'invalid'
        ? `the request is invalid: ${approval.why}`
        : `needs approval: ${(evaluation?.roles ?? []).filter((r) => r.status === 'missing').map((r) => `${r.role} (${r.candidates.join(' or ') || 'nobody'})`).join(', ')}`;
  const body = [
    ...(grant.breakGlass ? ['> [!CAUTION]', `> **Break-glass.** @${requester} takes \`${grant.resource}\` now, without the approvals it normally needs. The use is announced to the resource's owners and the org owners, and counted in the access report.`, ''] : []),
    `@${requester} asks for \`${grant.resource}\`${forWhom ? ` on behalf of @${grant.user}` : ''}.`,
    '',
    `- **reason**: ${grant.reason}`,
    `- **access until**: ${grant.expires}`,
    `- **approval valid until**: ${grant.approvalExpires ?? 'none'}`,
    `- **file**: \`${plan.path}\` (${plan.previousText === undefined ? 'new' : 'edited'})`,
    ...(previousUse ? [usageLine(previousUse)] : []),
    '',
    '### Who must approve',
    ...describeApprovers(evaluation, approval),
    ...(evaluation?.sensitivity ? ['', `Sensitivity: ${evaluation.sensitivity.why}.`] : []),
    '',
    'Only approvals of the latest commit count; merging provisions the access.',
  ].join('\n');
  const commitMessage = `${title}\n\n${grant.reason}\n\nRequested by ${requester}; ${outlook}.`;
  return { title, body, commitMessage, outlook };
}
