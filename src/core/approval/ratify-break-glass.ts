import { parseDuration } from '../duration.js';
import type { RepoSnapshot } from '../repo-file.js';
import type { ChangedFile, EscalateSensitivity } from './approval-input.js';
import type { RoleEvaluation } from './approval-result.js';
import { evaluateApproval } from './evaluate-approval.js';
import type { PullRequestSnapshot } from './pull-request.js';

export type RatificationStatus = 'ratified' | 'pending' | 'unratified';

/** Where one break-glass grant of a merged pull request stands with its ratification. */
export interface BreakGlassRatification {
  file: string;
  user: string;
  resource: string;
  status: RatificationStatus;
  /** ISO 8601: the merge time plus the policy's ratifyWithin. */
  deadline: string;
  ratifyWithin: string;
  /** Each role the sensitivity requires, and who ratified it or still can. */
  roles: RoleEvaluation[];
  why: string;
}

export interface RatificationInput {
  /** The rules the merged pull request was judged by (its base). */
  rulesAtBase: RepoSnapshot;
  /** The grant changes the merge brought (as for evaluateApproval). */
  changes: ChangedFile[];
  /** The merged pull request with every review it has now, before and after the merge. */
  pr: PullRequestSnapshot;
  mergedAt: Date;
  now: Date;
  escalate?: EscalateSensitivity;
}

/**
 * Ratifying a break-glass grant after the fact: the approvers its sensitivity normally requires approve
 * the merged pull request. It is judged by the same evaluator as any request, with the break-glass pass
 * switched off, at the merge time, against the rules of the base: so only a real approving review of the
 * pull request's head counts, from someone who fills a required role and is neither the requester nor the
 * grantee, and not a bot; a comment, a review by someone else, or one submitted after the deadline does not.
 * Returns one entry per grant that passed as break-glass; empty when the pull request had none.
 */
export function judgeRatification(input: RatificationInput): BreakGlassRatification[] {
  const { rulesAtBase, changes, pr, mergedAt, now, escalate } = input;
  const common = { rulesAtBase, changes, now: mergedAt, ...(escalate && { escalate }) };
  const asMerged = evaluateApproval({ ...common, pr: { ...pr, reviews: [] } });
  const out: BreakGlassRatification[] = [];
  const judged = new Map<string, ReturnType<typeof evaluateApproval>>();
  for (const grant of asMerged.grants) {
    if (!grant.breakGlass || grant.status !== 'approved') continue;
    const { ratifyWithin } = grant.breakGlass;
    const deadline = new Date(mergedAt.getTime() + parseDuration(ratifyWithin));
    // Reviews the deadline saw: a late approval is no ratification, only a finding that it came late.
    let ratifying = judged.get(ratifyWithin);
    if (!ratifying) {
      const inTime = pr.reviews.filter((r) => Date.parse(r.submittedAt) <= deadline.getTime());
      ratifying = evaluateApproval({ ...common, pr: { ...pr, reviews: inTime }, ratifying: true });
      judged.set(ratifyWithin, ratifying);
    }
    const verdict = ratifying.grants.find((g) => g.file === grant.file);
    const roles = verdict?.roles ?? grant.roles;
    const ratified = verdict?.status === 'approved';
    const status: RatificationStatus = ratified ? 'ratified' : now.getTime() >= deadline.getTime() ? 'unratified' : 'pending';
    const missing = roles.filter((r) => r.status === 'missing').map((r) => r.role);
    const by = roles.filter((r) => r.status === 'satisfied').map((r) => `${r.satisfiedBy} as ${r.role}`);
    const why =
      status === 'ratified'
        ? `ratified${by.length > 0 ? ` by ${by.join(', ')}` : ' (its sensitivity needs nobody)'} before ${deadline.toISOString()}`
        : status === 'pending'
          ? `awaiting ratification as ${missing.join(' + ')} until ${deadline.toISOString()}`
          : `not ratified within ${ratifyWithin} of the merge (by ${deadline.toISOString()}): missing ${missing.join(' + ') || verdict?.why || 'a valid approval'}`;
    out.push({ file: grant.file, user: grant.user, resource: grant.resource, status, deadline: deadline.toISOString(), ratifyWithin, roles, why });
  }
  return out;
}
