import type { ApprovalResult } from './approval-result.js';
import { loginKey, isBotLogin } from './login-key.js';
import { findApproversToRequest } from './missing-approvals.js';
import type { Review } from './pull-request.js';

/** At most this many people are asked to review one pull request, over its whole life. */
export const MAX_REVIEW_REQUESTS = 15;

export interface ReviewRequestContext {
  author: string;
  /** Every review of the pull request, on any commit. */
  reviews: readonly Review[];
  /** Who GitHub lists as asked right now. */
  requestedNow: readonly string[];
  /** Who grantops asked before (a person may have removed the request since: it is not repeated). */
  requestedBefore: readonly string[];
}

/**
 * Who to ask for a review: the people who can fill a missing role, each asked once. Never the author,
 * never a bot, never someone who already reviewed (on any commit), never someone asked before; nobody
 * while the files are invalid (there is nothing approvable yet).
 */
export function chooseReviewRequests(result: ApprovalResult, context: ReviewRequestContext): string[] {
  if (result.status !== 'pending') return [];
  const excluded = new Set([context.author, ...context.reviews.map((r) => r.reviewer), ...context.requestedNow, ...context.requestedBefore].map(loginKey));
  const room = Math.max(0, MAX_REVIEW_REQUESTS - context.requestedBefore.length);
  return findApproversToRequest(result)
    .filter((login) => {
      const key = loginKey(login);
      if (isBotLogin(login) || excluded.has(key)) return false;
      excluded.add(key);
      return true;
    })
    .slice(0, room);
}
