import type { Diagnostic } from '../diagnostic.js';

/**
 * The result tree of the approval evaluator (palantir/policy-bot style): every node has a status and
 * says why, so "why did this pull request need Elaine's approval" is answered by reading it.
 */
export type ApprovalStatus = 'approved' | 'pending' | 'invalid';

/**
 * What a pull request does to one grant file (see classify-grant-change.ts):
 * - `new`: the file did not exist at the base;
 * - `renewal`: access expired, approval still valid, only `expires` moved forward and `status` back to active;
 * - `extension`: `expires` moved forward outside a renewal (access still running, or approval expired);
 * - `change`: anything else (reason, approval expiry, ...);
 * - `give-up`: the file deleted, `expires` shortened, `status` set to expired;
 * - `unchanged`: the same grant, written differently (comments, formatting).
 */
export type ChangeKind = 'new' | 'renewal' | 'extension' | 'change' | 'give-up' | 'unchanged';

/** The role an org owner fills when the rules themselves change (DESIGN §3 rule 2). */
export const ORG_OWNER_ROLE = 'org-owner';

/** One role a grant (or a rules change) requires, and who filled it or could. */
export interface RoleEvaluation {
  /** `manager`, `owner`, `org-owner`, or any role people hold (e.g. `executive`). */
  role: string;
  status: 'satisfied' | 'missing';
  /** Login whose approval of the head commit met the role. */
  satisfiedBy?: string;
  /** Logins whose approval would meet the role (author and grantee excluded); empty when nobody can. */
  candidates: string[];
  why: string;
  /** Set when nobody else could fill the role and grantops.yaml's `approvalFallback` stands in: who it is. */
  fallback?: string;
  /** Why the role cannot be filled at all (a team with no members, or whose members are unknown): errors. */
  problems?: string[];
}

/** How the sensitivity a grant is judged at was decided. */
export interface SensitivityDecision {
  /** The level in force (after any escalation). */
  level: string;
  /** The resource's own level (its `sensitivity`, or inherited from `defaults`). */
  resourceLevel: string;
  /** Levels added by escalation (0 when none). */
  escalatedBy: number;
  why: string;
}

export interface GrantEvaluation {
  /** Repository-relative path of the grant file. */
  file: string;
  /** 1-based line of the grant in its head file (of the `user` key), 0 when deleted. */
  line: number;
  user: string;
  resource: string;
  change: ChangeKind;
  status: ApprovalStatus;
  /** Absent when the resource or the sensitivity could not be resolved (then `errors` says why). */
  sensitivity?: SensitivityDecision;
  /** Roles that must each be met, in the sensitivity's order; empty when nobody's approval is needed. */
  required: string[];
  roles: RoleEvaluation[];
  /** Errors located in this grant's file (also listed in the result's `errors`). */
  errors: Diagnostic[];
  why: string;
  /**
   * Present when the grant passed as break-glass: approved at once, with `roles` saying who must ratify it
   * after the merge (none of them has yet, or it would not need to be break-glass).
   */
  breakGlass?: BreakGlassEvaluation;
}

/** How a break-glass grant passed (approval/break-glass.ts). */
export interface BreakGlassEvaluation {
  /** The roles that may break glass on the resource. */
  roles: string[];
  /** The one of them the requester holds. */
  heldRole: string;
  maxAccess: string;
  /** How long after the merge the approvers have to ratify it. */
  ratifyWithin: string;
  why: string;
}

export interface RulesChangeEvaluation extends RoleEvaluation {
  /** The changed rule files (grantops.yaml, people.yaml, resources/**, schemas/**). */
  files: string[];
}

/** An approval of the head commit that counts (not stale, not withdrawn, not a bot). */
export interface CountedApproval {
  reviewer: string;
  submittedAt: string;
  /** Set when the approval was given on an earlier commit that does the same as the head: that commit. */
  carriedFrom?: string;
  /** Why it carried over. */
  carriedWhy?: string;
}

/** A review that does not count, and why (shown so a reviewer knows to approve again). */
export interface IgnoredReview {
  reviewer: string;
  reason: 'stale' | 'withdrawn' | 'bot';
  why: string;
}

export interface ApprovalResult {
  status: ApprovalStatus;
  /** status === 'approved'. */
  approved: boolean;
  /** False when the pull request touches nothing under the access directory (and no schema). */
  touchesAccess: boolean;
  /** One entry per changed grant file, sorted by path. */
  grants: GrantEvaluation[];
  /** Present when the pull request changes the rules. */
  rulesChange?: RulesChangeEvaluation;
  /** Every error, located (file, line, column, rule, message); any error makes the status `invalid`. */
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** Approvals of the head commit that count. */
  approvals: CountedApproval[];
  ignoredReviews: IgnoredReview[];
  why: string;
}
