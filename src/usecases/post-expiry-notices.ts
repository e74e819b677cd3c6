import { buildExpiryNotice, EXPIRY_NOTICE_LABEL } from '../core/expiry/expiry-notice.js';
import type { ExpiringGrant } from '../core/expiry/find-expiring-grants.js';
import type { LifecycleGitHub } from '../ports.js';
import { openIssuesOnce, type IssueOutcome } from './open-issue-once.js';

export interface ExpiryNoticeReport {
  grant: ExpiringGrant;
  /** Absent without a GitHub connection. */
  outcome?: IssueOutcome;
}

/**
 * One notice per grant and expiry date: an issue assigned to the grantee and mentioning them, saying
 * when the access ends and how to renew. Idempotent across runs through the notice's hidden marker.
 */
export async function postExpiryNotices(github: LifecycleGitHub | undefined, expiring: readonly ExpiringGrant[], dryRun: boolean): Promise<ExpiryNoticeReport[]> {
  if (!github || expiring.length === 0) return expiring.map((grant) => ({ grant }));
  const notices = expiring.map((grant) => {
    const notice = buildExpiryNotice(grant);
    return { marker: notice.marker, title: notice.title, body: notice.body, assignees: [notice.assignee] };
  });
  const outcomes = await openIssuesOnce(github, { name: EXPIRY_NOTICE_LABEL, description: 'grantops: access that ends soon' }, notices, dryRun);
  return expiring.map((grant, i) => ({ grant, outcome: outcomes[i] }));
}
