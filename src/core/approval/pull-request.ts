/**
 * An eager, plain snapshot of a pull request: everything the approval evaluator looks at, fetched up
 * front, so evaluation is a pure function (no API calls, no clock) and the same for the app, the CLI
 * and merge queues.
 */
export interface PullRequestSnapshot {
  /** Who opened the pull request (the requester). */
  author: string;
  /**
   * How the author is known: `proven` (default) by the code host or whoever runs the check, or `claimed`
   * by a configured identity nobody vouched for. A claimed author counts only as the grantee asking for
   * themselves: never as a manager or org owner asking on someone's behalf.
   */
  authorProof?: 'proven' | 'claimed';
  /** The commit being judged; only reviews of this commit count. */
  headSha: string;
  /** The base commit the rules are read from. */
  baseSha: string;
  /** Every file path the pull request touches (added, modified, removed, renamed: old and new). */
  changedFiles: string[];
  reviews: Review[];
  /**
   * Earlier commits of the pull request that do the same to the access directory as the head, under the
   * same base rules (approval-fingerprint.ts): approvals of them count as approvals of the head.
   */
  equivalentCommits?: EquivalentCommit[];
}

export interface EquivalentCommit {
  sha: string;
  /** Why it is equivalent, for the comment. */
  why: string;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface Review {
  reviewer: string;
  state: ReviewState;
  /** The commit the review was submitted on. */
  commitSha: string;
  /** ISO 8601; reviews are applied in this order (GitHub's order when equal). */
  submittedAt: string;
  /** A bot account (GitHub `type: Bot` or a `[bot]` login): never counts. */
  isBot?: boolean;
}
