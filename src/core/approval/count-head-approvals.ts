import type { CountedApproval, IgnoredReview } from './approval-result.js';
import { isBotLogin, loginKey } from './login-key.js';
import type { PullRequestSnapshot, Review } from './pull-request.js';

export interface HeadApprovals {
  /** Keyed by lower-cased login: approvals that count. */
  approvals: Map<string, CountedApproval>;
  ignored: IgnoredReview[];
}

/**
 * DESIGN §3 rule 4. Only an approval of the current head commit counts, so a new push makes earlier
 * approvals stale — unless the commit approved does exactly what the head does to the access directory,
 * under the same base rules (a rebase, an update merge: docs/decisions/0024). Each reviewer's latest decisive review wins: a later "changes requested" or a dismissal
 * withdraws their approval, a later comment does not. Bots never count. Who may count for which grant
 * (author, grantee) is decided per grant, in resolve-approver-roles.ts.
 */
export function countHeadApprovals(pr: Pick<PullRequestSnapshot, 'headSha' | 'reviews' | 'equivalentCommits'>): HeadApprovals {
  // An approval of a commit that does the same as the head is an approval of the head (approval-fingerprint.ts).
  const equivalent = new Map((pr.equivalentCommits ?? []).filter((c) => c.sha !== pr.headSha).map((c) => [c.sha, c.why]));
  const ordered = pr.reviews
    .map((review, index) => ({ review, index }))
    .sort((a, b) => compareTime(a.review.submittedAt, b.review.submittedAt) || a.index - b.index)
    .map((x) => x.review);

  const latest = new Map<string, Review>();
  const ignored: IgnoredReview[] = [];
  const bots = new Set<string>();
  for (const review of ordered) {
    const key = loginKey(review.reviewer);
    if (review.isBot === true || isBotLogin(review.reviewer)) {
      if (review.state === 'APPROVED' && !bots.has(key)) {
        bots.add(key);
        ignored.push({ reviewer: review.reviewer, reason: 'bot', why: `${review.reviewer} is a bot: bots never approve` });
      }
      continue;
    }
    if (review.state === 'APPROVED' || review.state === 'CHANGES_REQUESTED' || review.state === 'DISMISSED') {
      latest.set(key, review);
    }
  }

  const approvals = new Map<string, CountedApproval>();
  for (const [key, review] of latest) {
    if (review.state === 'CHANGES_REQUESTED') {
      ignored.push({ reviewer: review.reviewer, reason: 'withdrawn', why: `${review.reviewer} requested changes at ${review.submittedAt}, withdrawing any earlier approval` });
    } else if (review.state === 'DISMISSED') {
      ignored.push({ reviewer: review.reviewer, reason: 'withdrawn', why: `${review.reviewer}'s review was dismissed` });
    } else if (equivalent.has(review.commitSha)) {
      approvals.set(key, { reviewer: review.reviewer, submittedAt: review.submittedAt, carriedFrom: review.commitSha, carriedWhy: equivalent.get(review.commitSha)! });
    } else if (review.commitSha !== pr.headSha) {
      ignored.push({ reviewer: review.reviewer, reason: 'stale', why: `${review.reviewer} approved commit ${review.commitSha.slice(0, 7)}, not the head ${pr.headSha.slice(0, 7)}: approve again after the latest push` });
    } else {
      approvals.set(key, { reviewer: review.reviewer, submittedAt: review.submittedAt });
    }
  }
  return { approvals, ignored };
}

function compareTime(a: string, b: string): number {
  const ta = Date.parse(a);
  const tb = Date.parse(b);
  if (Number.isNaN(ta) || Number.isNaN(tb)) return 0;
  return ta - tb;
}
