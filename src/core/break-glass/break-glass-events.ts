import type { BreakGlassRatification } from '../approval/ratify-break-glass.js';
import type { AccessRepo } from '../model.js';
import type { BreakGlassNotRatifiedEvent, BreakGlassUsedEvent, PullRequestRef, Recipient } from '../notify/notification-event.js';
import { recipientsAs } from '../notify/recipients.js';

/** Who hears of a break-glass grant: the resource's owners and the org owners (every use), and those who can ratify it. */
function recipientsOf(repo: Pick<AccessRepo, 'org' | 'resources'>, ratification: BreakGlassRatification): Recipient[] {
  const owners = repo.resources.get(ratification.resource)?.value.owners ?? [];
  const ratifiers = ratification.roles.filter((r) => r.status === 'missing').flatMap((r) => r.candidates);
  return [...recipientsAs(owners, 'owner'), ...recipientsAs(repo.org?.value.owners ?? [], 'org-owner'), ...recipientsAs(ratifiers, 'approver')];
}

function grantOf(repo: Pick<AccessRepo, 'resources'>, r: BreakGlassRatification, expires?: string) {
  const resource = repo.resources.get(r.resource)?.value;
  return {
    user: r.user,
    resource: r.resource,
    file: r.file,
    ...(resource ? { system: resource.system, sensitivity: resource.effectiveSensitivity } : {}),
    ...(expires ? { expires } : {}),
  };
}

export interface BreakGlassEventContext {
  repo: Pick<AccessRepo, 'org' | 'resources'>;
  pullRequest: PullRequestRef;
  at: Date;
  repository?: string;
}

/** "Break-glass used": told at once, for every use, when the pull request is merged. */
export function breakGlassUsedEvent(ctx: BreakGlassEventContext, r: BreakGlassRatification, reason: string, expires?: string): BreakGlassUsedEvent {
  return {
    kind: 'break-glass-used',
    at: ctx.at.toISOString(),
    ...(ctx.repository ? { repository: ctx.repository } : {}),
    recipients: recipientsOf(ctx.repo, r),
    grant: grantOf(ctx.repo, r, expires),
    pullRequest: ctx.pullRequest,
    reason,
    ratifyBy: r.deadline,
  };
}

/** "Break-glass not ratified": the window passed without the approvals; the grantee hears of it too. */
export function breakGlassNotRatifiedEvent(ctx: BreakGlassEventContext, r: BreakGlassRatification, revoked: boolean): BreakGlassNotRatifiedEvent {
  return {
    kind: 'break-glass-not-ratified',
    at: ctx.at.toISOString(),
    ...(ctx.repository ? { repository: ctx.repository } : {}),
    recipients: [...recipientsOf(ctx.repo, r), { login: r.user, as: 'grantee' }],
    grant: grantOf(ctx.repo, r),
    pullRequest: ctx.pullRequest,
    ratifyBy: r.deadline,
    revoked,
  };
}
