import { buildExpiryNotice, EXPIRY_NOTICE_LABEL, expiryNoticeMarker } from '../core/expiry/expiry-notice.js';
import type { ExpiringGrant } from '../core/expiry/find-expiring-grants.js';
import { unusedMark, type GrantUse } from '../core/usage/assess-grant-use.js';
import type { LifecycleGitHub } from '../ports.js';
import { openIssuesOnce, type IssueOutcome, type WantedIssue } from './open-issue-once.js';

export interface ExpiryNoticeReport {
  grant: ExpiringGrant;
  /** Absent without a GitHub connection. */
  outcome?: IssueOutcome;
  /** `not used in 52 days` / `no recorded use`, when the notice opened now says so. */
  unused?: string;
}

export interface ExpiryNoticeOptions {
  /** The longest access each resource allows: what the renewal line asks for. */
  accessLimitMs: (resource: string) => number;
  /**
   * Judges the grants whose notice is about to be opened (only those: notices sent earlier are never
   * rewritten, so their grants' usage is not read). Absent: no usage facts, and nothing is said about use.
   */
  readUsage?: (grants: readonly ExpiringGrant[]) => Promise<ReadonlyMap<string, GrantUse>>;
}

/**
 * One notice per grant and expiry date: an issue assigned to the grantee and mentioning them, saying
 * when the access ends and how to renew, and whether the grant is unused. Idempotent across runs
 * through the notice's hidden marker.
 */
export async function postExpiryNotices(github: LifecycleGitHub | undefined, expiring: readonly ExpiringGrant[], dryRun: boolean, options: ExpiryNoticeOptions): Promise<ExpiryNoticeReport[]> {
  if (!github || expiring.length === 0) return expiring.map((grant) => ({ grant }));
  const toIssue = (grant: ExpiringGrant, use?: GrantUse): WantedIssue => {
    const notice = buildExpiryNotice(grant, { accessLimitMs: options.accessLimitMs(grant.resource), ...(use?.verdict === 'unused' ? { unused: use } : {}) });
    return { marker: notice.marker, title: notice.title, body: notice.body, assignees: [notice.assignee] };
  };
  const byMarker = new Map(expiring.map((grant) => [expiryNoticeMarker(grant), grant]));
  const marks = new Map<string, string>();
  const outcomes = await openIssuesOnce(
    github,
    { name: EXPIRY_NOTICE_LABEL, description: 'grantops: access that ends soon' },
    expiring.map((grant) => toIssue(grant)),
    dryRun,
    options.readUsage
      ? async (missing) => {
          const grants = missing.map((w) => byMarker.get(w.marker)!);
          const uses = await options.readUsage!(grants);
          return grants.map((grant) => {
            const use = uses.get(grant.file);
            if (use?.verdict === 'unused') marks.set(grant.file, unusedMark(use));
            return toIssue(grant, use);
          });
        }
      : undefined,
  );
  return expiring.map((grant, i) => {
    const outcome = outcomes[i];
    const unused = outcome?.status === 'opened' ? marks.get(grant.file) : undefined;
    return { grant, outcome, ...(unused ? { unused } : {}) };
  });
}
