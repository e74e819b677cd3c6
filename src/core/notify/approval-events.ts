import type { ApprovalResult } from '../approval/approval-result.js';
import type { AccessRepo } from '../model.js';
import { grantRefOf, scopeOf, type EventContext } from './event-context.js';
import type { ApprovalGivenEvent, ApprovalRequestedEvent, PullRequestRef, Recipient } from './notification-event.js';
import { recipientsAs } from './recipients.js';

export interface ApprovalFacts {
  pullRequest: PullRequestRef & { author: string };
  headSha: string;
  /** Who was just asked to review: the approval-requested event goes to them. */
  requested: readonly string[];
}

/**
 * What a judged pull request tells: the people just asked to approve (`approval-requested`, once per
 * head commit), and for each approval of the head that counts, the requester and the grantees
 * (`approval-given`, once per approver and head commit).
 */
export function findApprovalEvents(rules: Pick<AccessRepo, 'resources'>, result: ApprovalResult, facts: ApprovalFacts, context: EventContext): Array<ApprovalRequestedEvent | ApprovalGivenEvent> {
  const grants = result.grants.filter((g) => g.change !== 'unchanged');
  const refs = grants.map((g) => ({ ...grantRefOf(rules, { user: g.user, resource: g.resource, file: g.file }), ...(g.sensitivity ? { sensitivity: g.sensitivity.level } : {}) }));
  const events: Array<ApprovalRequestedEvent | ApprovalGivenEvent> = [];
  if (facts.requested.length > 0) {
    events.push({
      kind: 'approval-requested',
      ...scopeOf(context),
      recipients: recipientsAs(facts.requested, 'approver'),
      pullRequest: facts.pullRequest,
      headSha: facts.headSha,
      grants: grants.map((g, i) => ({ ...refs[i]!, change: g.change, missing: g.roles.filter((r) => r.status === 'missing').map((r) => r.role) })),
    });
  }
  const told: Recipient[] = [...recipientsAs([facts.pullRequest.author], 'requester'), ...recipientsAs(grants.map((g) => g.user), 'grantee')];
  for (const approval of result.approvals) {
    const roles = [...new Set([...grants.flatMap((g) => g.roles), ...(result.rulesChange ? [result.rulesChange] : [])].filter((r) => r.satisfiedBy === approval.reviewer).map((r) => r.role))];
    events.push({
      kind: 'approval-given',
      ...scopeOf(context),
      recipients: told.filter((r) => r.login !== approval.reviewer),
      pullRequest: facts.pullRequest,
      headSha: facts.headSha,
      approver: approval.reviewer,
      roles,
      approved: result.approved,
      grants: refs,
    });
  }
  return events;
}
