import type { RecordProblemRule } from '../decision-record.js';

/**
 * What `grantops audit` reports: one timeline per grant (oldest first), a summary, and, with `--verify`,
 * findings. Every event names the commit or the decision record it comes from, so an auditor can check it.
 */

export type AuditEventType =
  /** The first commit that proposed the change, on the pull request's branch (or the pushed commit itself). */
  | 'requested'
  /** One role met by one approver on the approved head, as the decision record has it (or: nobody needed). */
  | 'approved'
  /** A new or changed grant reached the default branch through a pull request. */
  | 'merged'
  /** A new or changed grant reached the default branch without a pull request. */
  | 'pushed'
  /** The grant moved back to active after its access expired (DESIGN §3 rule 8). */
  | 'renewed'
  /** The repository recorded the end of the access: `status: expired`, or `expires` brought forward. */
  | 'revoked'
  | 'deleted'
  /** IAM access added by an apply run. */
  | 'provisioned'
  /** IAM access removed by an apply run (the grant was no longer desired). */
  | 'deprovisioned'
  /** IAM access removed by an expire run. */
  | 'expired'
  /** In a shallow clone: the grant was already there where the visible history begins. */
  | 'present'
  /** The change was merged as break-glass: passed at once, without the approvals it normally needs. */
  | 'break-glass'
  /** The approvers ratified a break-glass grant after its merge (from a `ratify` decision record). */
  | 'ratified';

/** How a change that reached the default branch is backed by a decision record. */
export type RecordStatus =
  | 'valid'
  /** No decision record on the commit at all. */
  | 'missing'
  /** Only records that cannot be trusted (unparseable, edited, rewritten). */
  | 'invalid'
  /** Records exist, but none lists this file. */
  | 'not-listed'
  /** The record lists it as not approved. */
  | 'not-approved';

export interface AuditEvent {
  type: AuditEventType;
  /** ISO 8601. */
  at: string;
  /** The commit the event comes from (for note events: the commit the note is on). */
  commit?: string;
  pr?: number;
  /** A login when known, else `Name <email>`. */
  by?: string;
  /** For `approved`: the role the approver met. */
  role?: string;
  /** For `approved`: the head commit the approval was given on. */
  headSha?: string;
  /** For landing events: how the change reached the default branch. */
  via?: 'pull-request' | 'direct-push';
  /** For landing events: how the change is backed by a decision record. */
  record?: RecordStatus;
  /** For IAM events: the operation, e.g. `attach-user-policy dev arn:aws:iam::aws:policy/X`. */
  operation?: string;
  result?: 'done' | 'failed';
  /** What a person reads in the report's last column. */
  details: string;
}

/** The grant as the default branch holds it now. */
export interface GrantState {
  status: string;
  expires?: string;
  approvalExpires?: string;
}

export interface GrantTimeline {
  /** Repository-relative path of the grant file. */
  file: string;
  user: string;
  resource: string;
  /** Null when the file is no longer on the default branch. */
  current: GrantState | null;
  /** Whether IAM access is in place by the decision records (the last add not followed by a removal). */
  provisioned: boolean;
  events: AuditEvent[];
}

export interface ActiveGrant {
  file: string;
  user: string;
  resource: string;
  expires: string;
}

/** A change that reached the default branch without a valid decision record. */
export interface UnrecordedChange {
  commit: string;
  at: string;
  /** The changed grant file, or the changed rule files joined by ", ". */
  file: string;
  user?: string;
  resource?: string;
  via: 'pull-request' | 'direct-push';
  record: Exclude<RecordStatus, 'valid'>;
  message: string;
}

export interface ProvisionedAfterExpiry {
  file: string;
  user: string;
  resource: string;
  /** The last `expires` the default branch held; absent if it never held a readable one. */
  expires?: string;
  /** Why the access should be gone. */
  reason: 'expired' | 'revoked' | 'deleted';
  /** When the access was last provisioned. */
  since: string;
}

export interface RecordProblemEntry {
  commit: string;
  rule: RecordProblemRule;
  message: string;
}

export interface HistoryCoverage {
  /** The commit audited. */
  head: string | null;
  /** Commits read: every commit reachable from `head`. */
  commits: number;
  /** When the visible history begins (the oldest commit read). */
  since?: string;
  /** Set in a shallow clone: what the audit cannot see. */
  shallow?: { boundary: string[]; message: string };
  /** Set when the clone holds no decision notes. */
  notesMissing?: string;
}

export interface AuditSummary {
  activeGrants: ActiveGrant[];
  unrecordedChanges: UnrecordedChange[];
  provisionedAfterExpiry: ProvisionedAfterExpiry[];
  recordProblems: RecordProblemEntry[];
}

export type AuditFindingRule =
  /** A grant or rules change on the default branch with no decision record. */
  | 'verify/no-record'
  /** A decision record that cannot be trusted (unparseable, edited, rewritten, of another commit). */
  | 'verify/record-invalid'
  /** The recorded decision does not satisfy the rules as they stood (re-evaluated). */
  | 'verify/not-approved'
  /** A break-glass grant whose ratification window closed without a recorded ratification that holds. */
  | 'verify/break-glass-unratified';

export interface AuditFinding {
  rule: AuditFindingRule;
  commit: string;
  /** When the commit landed; absent for a note on a commit the walk did not read. */
  at?: string;
  /** The files concerned (empty for a note problem on a commit that changed nothing). */
  files: string[];
  message: string;
}

export interface AuditReport {
  dir: string;
  generatedAt: string;
  coverage: HistoryCoverage;
  grants: GrantTimeline[];
  summary: AuditSummary;
  /** Present when the report was verified (`--verify`). */
  findings?: AuditFinding[];
}
