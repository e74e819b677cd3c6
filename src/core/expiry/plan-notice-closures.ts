import type { GrantFile } from '../model.js';
import { parseExpiryNoticeMarker } from './expiry-notice.js';
import { formatDay } from './format-time.js';

/** An open expiry notice, as the issue listing gives it. */
export interface OpenNotice {
  number: number;
  body: string;
}

export type NoticeClosureReason = 'renewed' | 'moved' | 'revoked' | 'expired' | 'deleted';

/** One notice that no longer holds, and the comment that says why it is closed. */
export interface NoticeClosure {
  number: number;
  file: string;
  /** The day the notice said the access ends. */
  day: string;
  reason: NoticeClosureReason;
  comment: string;
}

export interface NoticeFacts {
  /** The grants as the repository holds them now (those that parse). */
  grants: ReadonlyMap<string, { value: GrantFile }>;
  /** Every file of the access directory, parsed or not: a grant that fails to parse is not a deleted one. */
  files: ReadonlySet<string>;
  /** Grant files whose lapse this run recorded (their access removed, or its removal asked of the owners). */
  revoked: ReadonlySet<string>;
  /** Where the revocation is recorded, for the comment (e.g. `#12`). */
  revocationPullRequest?: string;
}

/**
 * Which open expiry notices (DESIGN §3 lifecycle: "warnings before expiry") no longer hold, found by the
 * hidden marker naming their grant file and day: the grant was renewed or its end moved (the day no longer
 * matches), its lapse was recorded by this run or an earlier one (`status: expired`), or its file is gone.
 * A notice whose grant still ends that day, or whose lapse is not recorded yet (its removal failed), stays
 * open. Pure; the use case closes what it returns, and a closed notice is never looked at again.
 */
export function planNoticeClosures(notices: readonly OpenNotice[], facts: NoticeFacts): NoticeClosure[] {
  const out: NoticeClosure[] = [];
  for (const notice of notices) {
    const marked = parseExpiryNoticeMarker(notice.body);
    if (!marked) continue;
    const { file, day } = marked;
    const close = (reason: NoticeClosureReason, comment: string) => out.push({ number: notice.number, file, day, reason, comment });
    const grant = facts.grants.get(file)?.value;
    if (!grant) {
      if (!facts.files.has(file)) close('deleted', `\`${file}\` no longer exists: the access was given up or its revocation recorded. Closing this notice.`);
      continue;
    }
    const expires = Date.parse(grant.expires);
    if (Number.isNaN(expires)) continue;
    const newDay = formatDay(new Date(expires));
    if (grant.status === 'expired') {
      close('expired', `\`${file}\` is marked \`status: expired\`: the access is over. Closing this notice.`);
    } else if (newDay > day) {
      close('renewed', `The grant was renewed: its access now ends at ${grant.expires}. Closing this notice; a new one comes before the new end.`);
    } else if (newDay < day) {
      close('moved', `The grant's access now ends earlier, at ${grant.expires}: this notice's date no longer holds. Closing it.`);
    } else if (facts.revoked.has(file)) {
      const where = facts.revocationPullRequest ? ` (recorded in ${facts.revocationPullRequest})` : '';
      close('revoked', `The access ended at ${grant.expires} and \`grantops expire\` revoked it${where}. Closing this notice.`);
    }
  }
  return out;
}
