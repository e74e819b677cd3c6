import type { GrantFile } from '../model.js';
import type { ChangeKind } from './approval-result.js';

export interface GrantChange {
  kind: ChangeKind;
  why: string;
}

/** Kinds that ask for nothing new, so need nobody's approval (DESIGN §3 rules 7 and 8). */
export function needsApproval(kind: ChangeKind): boolean {
  return kind === 'new' || kind === 'extension' || kind === 'change';
}

/** Kinds through which someone receives or keeps access, so the requester must be allowed to ask (rule 5). */
export function asksForAccess(kind: ChangeKind): boolean {
  return needsApproval(kind) || kind === 'renewal';
}

/**
 * What a pull request does to one grant file. `base` undefined: the file is new, or its base version could
 * not be read (`baseUnreadable`); `head` undefined: the file is deleted.
 *
 * - give-up (rule 7): deletion, or nothing changed but `expires` (earlier), `approvalExpires` (earlier or
 *   removed) and `status` (to expired).
 * - renewal (rule 8): at the base the access had expired (status expired, or `expires` passed) while the
 *   approval had not (`approvalExpires` after now); the head only moves `expires` forward (or keeps it) and
 *   sets `status: active`. Whether the new `expires` is within `maxAccess` and not past `approvalExpires` is
 *   checkGrantLimits' job: a renewal beyond them is an error, not a pending approval.
 * - extension: `expires` moved forward, otherwise as a renewal, but the access is still running or the
 *   approval has expired, so the full rule applies.
 */
export function classifyGrantChange(base: GrantFile | undefined, head: GrantFile | undefined, now: Date, baseUnreadable = false): GrantChange {
  if (head === undefined) return { kind: 'give-up', why: 'the grant file is deleted: giving access up needs nobody' };
  if (base === undefined) {
    return baseUnreadable
      ? { kind: 'change', why: 'the base version of this file cannot be read, so the change is judged like a new grant' }
      : { kind: 'new', why: 'a new grant' };
  }
  // Marking a grant break-glass, or unmarking it, changes how it was decided: never a renewal or a give-up.
  if (base.user !== head.user || base.resource !== head.resource || base.reason !== head.reason || (base.breakGlass === true) !== (head.breakGlass === true)) {
    if (sameGrant(base, head)) return { kind: 'unchanged', why: 'the grant is the same' };
    return { kind: 'change', why: changedWhy(base, head) };
  }
  if (sameGrant(base, head)) return { kind: 'unchanged', why: 'the grant itself is unchanged (only formatting or comments differ)' };

  const baseExpires = Date.parse(base.expires);
  const headExpires = Date.parse(head.expires);
  const baseApproval = timeOrUndefined(base.approvalExpires);
  const headApproval = timeOrUndefined(head.approvalExpires);

  const approvalNotLater =
    headApproval === undefined || (baseApproval !== undefined && headApproval <= baseApproval);
  const reactivates = base.status === 'expired' && head.status === 'active';
  if (headExpires <= baseExpires && approvalNotLater && !reactivates) {
    return { kind: 'give-up', why: `only ${givenUp(base, head).join(', ')}: giving access up needs nobody` };
  }

  const onlyExpiresAndStatus = sameValue('approvalExpires', base.approvalExpires, head.approvalExpires) && head.status === 'active' && headExpires >= baseExpires;
  if (onlyExpiresAndStatus) {
    const accessExpired = base.status === 'expired' || baseExpires <= now.getTime();
    const approvalValid = baseApproval !== undefined && baseApproval > now.getTime();
    if (accessExpired && approvalValid) {
      return {
        kind: 'renewal',
        why: `renewal: the access had expired (${base.status === 'expired' ? 'status expired' : `at ${base.expires}`}) and the approval is valid until ${base.approvalExpires}; only expires moves (to ${head.expires})${reactivates ? ' and status back to active' : ''}, so no reviewer is needed`,
      };
    }
    const reason = !accessExpired
      ? `the access is still running (until ${base.expires})`
      : baseApproval === undefined
        ? 'the grant has no approvalExpires to renew under'
        : `the approval expired at ${base.approvalExpires}`;
    return { kind: 'extension', why: `expires moves from ${base.expires} to ${head.expires} but ${reason}, so this is not a renewal and the full rule applies` };
  }
  return { kind: 'change', why: changedWhy(base, head) };
}

function sameGrant(a: GrantFile, b: GrantFile): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof GrantFile>;
  return [...keys].every((k) => sameValue(k, a[k], b[k]));
}

function sameValue(key: keyof GrantFile, a: unknown, b: unknown): boolean {
  // The schema lets approvalExpires be written as null: the same as leaving it out.
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  if ((key === 'expires' || key === 'approvalExpires') && typeof a === 'string' && typeof b === 'string') {
    return Date.parse(a) === Date.parse(b);
  }
  return a === b;
}

function timeOrUndefined(value: string | undefined | null): number | undefined {
  return value === undefined || value === null ? undefined : Date.parse(value);
}

function givenUp(base: GrantFile, head: GrantFile): string[] {
  const parts: string[] = [];
  if (Date.parse(head.expires) < Date.parse(base.expires)) parts.push(`expires shortened to ${head.expires}`);
  if (base.status !== head.status) parts.push('status set to expired');
  if (!sameValue('approvalExpires', base.approvalExpires, head.approvalExpires)) {
    parts.push(head.approvalExpires === undefined || head.approvalExpires === null ? 'approvalExpires removed' : `approvalExpires shortened to ${head.approvalExpires}`);
  }
  return parts;
}

function changedWhy(base: GrantFile, head: GrantFile): string {
  const keys = [...new Set([...Object.keys(base), ...Object.keys(head)])] as (keyof GrantFile)[];
  const changed = keys.filter((k) => !sameValue(k, base[k], head[k]));
  return `the grant changes (${changed.join(', ')}), so it is judged like a new request`;
}
