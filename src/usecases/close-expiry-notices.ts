import { EXPIRY_NOTICE_LABEL } from '../core/expiry/expiry-notice.js';
import { planNoticeClosures, type NoticeClosure, type NoticeFacts } from '../core/expiry/plan-notice-closures.js';
import type { LifecycleGitHub } from '../ports.js';

export interface NoticeClosureReport extends NoticeClosure {
  /** `closed` now, or `planned` in a dry run. */
  status: 'closed' | 'planned';
}

/**
 * Closes the open expiry notices whose grant was renewed, revoked or deleted, each with a comment saying
 * why. Idempotent: only open notices are considered, and each is closed before it is commented on, so a
 * run that stops half-way never comments twice. With `dryRun`, it lists and says what it would close.
 */
export async function closeExpiryNotices(github: LifecycleGitHub | undefined, facts: NoticeFacts, dryRun: boolean): Promise<NoticeClosureReport[]> {
  if (!github) return [];
  const open = (await github.listIssues(EXPIRY_NOTICE_LABEL)).filter((issue) => issue.state === 'open');
  const closures = planNoticeClosures(open, facts);
  if (dryRun) return closures.map((c) => ({ ...c, status: 'planned' }));
  const out: NoticeClosureReport[] = [];
  for (const closure of closures) {
    await github.closeIssue(closure.number);
    await github.comment(closure.number, closure.comment);
    out.push({ ...closure, status: 'closed' });
  }
  return out;
}
