import type { AuditEventType } from '../audit/audit-report.js';
import type { Recommendation } from '../inventory/recommendation.js';

/**
 * What `grantops report` shows auditors and administrators: who has access to what, what ends soon, what
 * happened lately, how risky each person's access is, and access nothing in the repository explains.
 * Plain data: the HTML renderer only lays it out.
 */

export interface ReportLevel {
  name: string;
  /** 0 for the least sensitive level of grantops.yaml. */
  rank: number;
}

export interface ReportResource {
  id: string;
  system: string;
  description?: string;
  sensitivity: string;
  /** The sensitivity's rank (see ReportLevel). */
  rank: number;
  owners: string[];
  provision: 'auto' | 'manual';
  /** What it hands out, in the system's words: `policy arn:…`, `group developers`, `permission-set ReadOnlyAccess`. */
  grants: string;
  /**
   * The account of this column, for a resource that hands out one holding per account (a permission set in
   * several accounts): such a resource has one column per account, each a `permission set@account`.
   */
  account?: string;
}

export interface ReportPerson {
  login: string;
  name: string;
  manager?: string;
  /** The IAM user name (`aws.user`). */
  iamUser?: string;
  /** The Identity Center user name (`aws.identityCenterUser`, else the email), when an Identity Center system was read. */
  identityCenterUser?: string;
}

/**
 * One person's standing on one resource:
 * - `active`: a live grant, ending after the report's horizon;
 * - `expiring`: a live grant ending within the horizon;
 * - `expired`: a grant whose access has ended (`status: expired`, or `expires` passed);
 * - `unmanaged`: IAM holds what the resource hands out, and no grant of this person names it.
 */
export type CellState = 'active' | 'expiring' | 'expired' | 'unmanaged';

export interface AccessCell {
  person: string;
  resource: string;
  /** The column's account, for a resource with one column per account (see ReportResource). */
  account?: string;
  state: CellState;
  /** The grant file (absent for `unmanaged`). */
  grant?: string;
  reason?: string;
  expires?: string;
  approvalExpires?: string;
  /**
   * Whether the account read holds the access now; absent when the resource's system was not read.
   * A live grant not held waits for apply; an ended grant still held waits for expire.
   */
  inIam?: boolean;
}

export type ExpiringWhat = 'access' | 'approval';

/** Something that ends within the horizon: a grant's access, or its approval (renewals need review again). */
export interface ExpiringItem {
  what: ExpiringWhat;
  person: string;
  resource: string;
  grant: string;
  /** ISO 8601. */
  at: string;
  /** Whole days from the report's time, rounded down. */
  inDays: number;
  /** For `access`: a renewal would be approved at once, because the approval outlives the access. */
  renewable?: boolean;
  /**
   * For `access`: the `grantops request` line that keeps the access, sized to the resource's `maxAccess`
   * (as the expiry notice gives it); absent without a `grantops.yaml` to size it by.
   */
  renewal?: string;
}

export interface PersonRisk {
  person?: string;
  name?: string;
  system: string;
  iamUser: string;
  /** 0-100, the user's effective score: its own permissions (groups included) or the worst principal it can become. */
  score: number;
  /** The path to that worst principal, when it scores higher than the user's own permissions. */
  reach?: string;
  /** Finding categories of the policies reaching the user, most frequent first. */
  categories: string[];
  /** Attachments held directly (policies, groups, inline policies). */
  holds: number;
}

/** An attachment or assignment nothing in the repository explains, or one whose grant has already ended. */
export interface UnexplainedAccess {
  system: string;
  /** The principal that holds it: an IAM user, an Identity Center user, or (`principalType: group`) an Identity Center group. */
  iamUser: string;
  principalType?: 'group';
  /** The account of the holding (Identity Center assignments). */
  account?: string;
  person?: string;
  kind: string;
  target: string;
  /** `unmanaged`: no grant names it; `expired-grant`: only ended grants do (the next expire or apply removes it). */
  status: 'unmanaged' | 'expired-grant';
  /** Resources of the repository that hand the target out (a way to adopt it). */
  resources: string[];
  grants: string[];
}

/** `unreviewed`: a grant change that reached the default branch by a direct push, not through a pull request. */
export type ActivityKind = 'approval' | 'unreviewed' | 'revocation' | 'provisioning' | 'request' | 'break-glass';

/** How often one person broke glass, over the whole history the audit read (abuse shows as a count). */
export interface BreakGlassUses {
  person: string;
  uses: number;
  /** ISO 8601 of the latest use. */
  last: string;
  /** Uses whose ratification is recorded. */
  ratified: number;
}

export interface ActivityEvent {
  kind: ActivityKind;
  type: AuditEventType;
  at: string;
  person: string;
  resource: string;
  grant: string;
  by?: string;
  role?: string;
  commit?: string;
  pr?: number;
  details: string;
}

/** Recent approvals and revocations, from the git history and decision notes; absent where there is none. */
export type ActivitySection =
  | { available: true; sinceDays: number; events: ActivityEvent[]; truncated: number; notesMissing?: string; shallow?: string; breakGlass?: BreakGlassUses[] }
  | { available: false; why: string };

export interface AccessReport {
  org: string;
  /** The time the report judges at (ISO 8601). */
  at: string;
  horizonDays: number;
  levels: ReportLevel[];
  /** Systems whose account was read. */
  systems: string[];
  /** Systems that could not be read (unreachable, or another account), with why: their access is not on the page. */
  unread?: { system: string; message: string }[];
  /** Most sensitive first, then by id. */
  resources: ReportResource[];
  /** People with at least one cell, by name. */
  people: ReportPerson[];
  /** People of people.yaml with nothing to show. */
  peopleWithoutAccess: number;
  cells: AccessCell[];
  /** Soonest first. */
  expiring: ExpiringItem[];
  /** Highest score first. */
  risk: PersonRisk[];
  unexplained: UnexplainedAccess[];
  recommendations: Recommendation[];
  activity: ActivitySection;
}
