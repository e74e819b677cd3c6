import type { GrantFile } from '../model.js';

/**
 * What the revocation pull request does to one grant file:
 * - `mark-expired`: the access lapsed but the approval is still valid, so the file stays with
 *   `status: expired` and the person can renew it without a new human approval (DESIGN §3 rule 8);
 * - `delete`: the approval has lapsed too (or the grant never had one), so nothing is left to renew.
 */
export type RevocationAction = 'mark-expired' | 'delete';

export interface RevocationDecision {
  action: RevocationAction;
  why: string;
}

/** Decides, for a grant whose access is over at `now`, whether its file is kept (expired) or deleted. */
export function decideRevocation(grant: Pick<GrantFile, 'expires' | 'approvalExpires'>, now: Date): RevocationDecision {
  const approvalExpires = grant.approvalExpires ?? undefined;
  if (approvalExpires === undefined) {
    return { action: 'delete', why: 'the grant has no approvalExpires, so it cannot be renewed without a new approval' };
  }
  const approvalTime = Date.parse(approvalExpires);
  if (Number.isNaN(approvalTime) || approvalTime <= now.getTime()) {
    return { action: 'delete', why: `the approval expired at ${approvalExpires} too` };
  }
  return { action: 'mark-expired', why: `the approval is valid until ${approvalExpires}: renewable without a new approval until then` };
}
