import { formatDuration, parseDuration } from '../duration.js';
import type { AccessRepo, GrantFile, Resource } from '../model.js';
import { findBreakGlassPolicy } from '../break-glass/break-glass-policy.js';
import type { BreakGlassEvaluation, ChangeKind } from './approval-result.js';
import { sameLogin } from './login-key.js';

export interface BreakGlassContext {
  /** The rules of the base (people, org); never the pull request's own. */
  repo: AccessRepo;
  resource: Resource;
  /** The sensitivity level the grant is judged at (after any escalation). */
  level: string;
  base: GrantFile | undefined;
  head: GrantFile;
  kind: ChangeKind;
  author: string;
  now: Date;
}

/** A reason the break-glass pass is refused, at the grant field it is about. */
export interface BreakGlassRefusal {
  field: keyof GrantFile;
  rule: string;
  message: string;
}

export type BreakGlassVerdict = { pass: BreakGlassEvaluation } | { refusals: BreakGlassRefusal[] };

/**
 * Break-glass: a grant marked `breakGlass: true` passes at once, with no reviewer, when every condition
 * holds; otherwise it is invalid (never pending): the file claims an emergency the rules do not allow, and
 * no review can make that claim right. Remove the mark to ask the ordinary way.
 * - the resource (or its sensitivity level) allows break-glass;
 * - the requester asks for themselves and holds one of the policy's roles at the base;
 * - the access is new, or replaces access that is over: a running grant is never extended this way;
 * - it ends within the policy's maxAccess from now and carries no approvalExpires (nobody approved it, so
 *   there is nothing to renew under: once it ends, it is gone).
 * The sensitivity's approvers must then ratify it after the merge (ratify-break-glass.ts).
 */
export function judgeBreakGlass(ctx: BreakGlassContext): BreakGlassVerdict {
  const { repo, resource, level, base, head, kind, author, now } = ctx;
  const org = repo.org!.value;
  const policy = findBreakGlassPolicy(org, resource, level);
  if (!policy) {
    return { refusals: [{ field: 'breakGlass', rule: 'break-glass/not-allowed', message: `"${resource.id}" (${level}) does not allow break-glass: neither the resource nor its sensitivity level has a breakGlass policy; remove breakGlass to ask the ordinary way` }] };
  }
  const refusals: BreakGlassRefusal[] = [];
  if (!sameLogin(author, head.user)) {
    refusals.push({ field: 'user', rule: 'break-glass/for-someone-else', message: `${author} marks ${head.user}'s grant as break-glass: break-glass is only ever asked by the person who needs the access, for themselves` });
  }
  const roles = repo.people.get(author)?.value.roles ?? [];
  const held = policy.roles.filter((r) => roles.includes(r));
  if (held.length === 0) {
    refusals.push({ field: 'breakGlass', rule: 'break-glass/not-eligible', message: `${author} holds none of the roles that may break glass on "${resource.id}" (${policy.roles.join(', ')}) in people.yaml at the base` });
  }
  const running = base !== undefined && base.status === 'active' && Date.parse(base.expires) > now.getTime();
  if (running) {
    refusals.push({ field: 'expires', rule: 'break-glass/running', message: `the access is still running (until ${base.expires}): break-glass never extends running access; ask the ordinary way` });
  }
  const maxAccess = parseDuration(policy.maxAccess);
  if (Date.parse(head.expires) - now.getTime() > maxAccess) {
    refusals.push({ field: 'expires', rule: 'break-glass/max-access', message: `expires (${head.expires}) is more than ${formatDuration(maxAccess)} from now (${now.toISOString()}), the longest break-glass access "${resource.id}" allows` });
  }
  if (head.approvalExpires !== undefined && head.approvalExpires !== null) {
    refusals.push({ field: 'approvalExpires', rule: 'break-glass/approval-expires', message: 'a break-glass grant carries no approvalExpires: nobody approved it, so there is nothing to renew under' });
  }
  if (head.status !== 'active') {
    refusals.push({ field: 'status', rule: 'break-glass/not-active', message: 'a break-glass grant asks for access: its status must be active' });
  }
  if (refusals.length > 0) return { refusals };
  return {
    pass: {
      roles: policy.roles,
      heldRole: held[0]!,
      maxAccess: policy.maxAccess,
      ratifyWithin: policy.ratifyWithin,
      why: `BREAK-GLASS: ${author} holds ${held[0]} and may break glass on ${resource.id} for up to ${policy.maxAccess}; ${kind === 'new' ? 'a new grant' : 'the earlier access is over'}, so it passes at once and must be ratified by the approvers of ${level} within ${policy.ratifyWithin} of the merge`,
    },
  };
}
