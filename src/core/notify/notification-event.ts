/**
 * What grantops tells people about, independent of how it reaches them (Slack, email, a webhook).
 * Each event names who it concerns (`recipients`, each in the part they play) and carries the facts a
 * channel renders; the channels grantops.yaml configures, and the `notify:` roles of the grant's
 * sensitivity level, decide where it goes (see plan-deliveries.ts).
 */

/** Every kind of event, in the order the configuration reference lists them. */
export const NOTIFICATION_KINDS = [
  'approval-requested',
  'approval-given',
  'access-provisioned',
  'access-ending-soon',
  'access-revoked',
  'break-glass-used',
  'break-glass-not-ratified',
  'drift-found',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * The part a recipient plays in an event: `grantee` (whose access it is), `requester` (the pull request's
 * author), `approver` (someone whose approval is awaited or was given), `owner` (of the resource),
 * `org-owner` (grantops.yaml's `owners`), `manager` (the grantee's), or a role people hold (`executive`).
 */
export type RecipientRole = 'grantee' | 'requester' | 'approver' | 'owner' | 'org-owner' | 'manager' | (string & {});

/** One person an event is for: a login of people.yaml. */
export interface Recipient {
  login: string;
  as: RecipientRole;
}

/** A grant as events name it. */
export interface GrantRef {
  user: string;
  resource: string;
  /** The grant file, repository-relative. */
  file?: string;
  /** The system (AWS account) of grantops.yaml the resource is in. */
  system?: string;
  /** The sensitivity level in force: that level's `notify:` roles hear of the event too. */
  sensitivity?: string;
  /** ISO 8601: when the access ends (or ended). */
  expires?: string;
}

export interface PullRequestRef {
  number: number;
  url?: string;
  title?: string;
  /** Login of the pull request's author. */
  author?: string;
}

interface EventBase<K extends NotificationKind> {
  kind: K;
  /** ISO 8601: when it happened (the run's clock). */
  at: string;
  /** `owner/repo` of the access repository, when known: it keeps delivery keys of two repositories apart. */
  repository?: string;
  recipients: Recipient[];
}

/** A pull request waits for approvals: the people who can give them are asked. */
export interface ApprovalRequestedEvent extends EventBase<'approval-requested'> {
  pullRequest: PullRequestRef;
  /** The head commit the approvals must be of; a new push asks again. */
  headSha: string;
  grants: Array<GrantRef & { change: string; missing: string[] }>;
}

/** Someone approved a pull request (the requester and grantees hear of it). */
export interface ApprovalGivenEvent extends EventBase<'approval-given'> {
  pullRequest: PullRequestRef;
  headSha: string;
  approver: string;
  /** The roles this approval met (empty when it met none the grants still needed). */
  roles: string[];
  /** True when the pull request needs no further approval. */
  approved: boolean;
  grants: GrantRef[];
}

/** Apply gave a grant its access in the account. */
export interface AccessProvisionedEvent extends EventBase<'access-provisioned'> {
  grant: GrantRef;
  /** The commit the apply run applied. */
  commit: string;
  pullRequest?: PullRequestRef;
  /** The IAM operations carried out, described. */
  operations: string[];
}

/** A grant's access ends within `expiry.warnBefore`. */
export interface AccessEndingSoonEvent extends EventBase<'access-ending-soon'> {
  grant: GrantRef & { expires: string };
  /** The command that renews it, sized to the resource. */
  renewal?: string;
  /** Where the expiry notice (issue) is, when one was opened. */
  noticeUrl?: string;
}

/** Access was removed from the account. */
export interface AccessRevokedEvent extends EventBase<'access-revoked'> {
  grant: GrantRef;
  /** `expired`: its time ran out; `given-up`: the grant was removed or shortened; `not-ratified`: break-glass access nobody ratified in time. */
  reason: 'expired' | 'given-up' | 'not-ratified';
  commit?: string;
  /** The revocation pull request recording it. */
  revocationUrl?: string;
  operations: string[];
}

/** Break-glass access was used: owners and org owners hear of every use at once. */
export interface BreakGlassUsedEvent extends EventBase<'break-glass-used'> {
  grant: GrantRef;
  pullRequest: PullRequestRef;
  /** The incident reason the requester gave. */
  reason: string;
  /** ISO 8601: by when the approvers must ratify it, or it is revoked. */
  ratifyBy: string;
  /** The person's break-glass uses counted so far, this one included, when known. */
  uses?: number;
}

/** Break-glass access was not ratified within its window. */
export interface BreakGlassNotRatifiedEvent extends EventBase<'break-glass-not-ratified'> {
  grant: GrantRef;
  pullRequest: PullRequestRef;
  ratifyBy: string;
  /** True when this run removed the access. */
  revoked: boolean;
}

/** IAM differs from what the repository declares, in what grantops manages. */
export interface DriftFoundEvent extends EventBase<'drift-found'> {
  system: string;
  /** The run that found it. */
  command: 'plan' | 'apply';
  commit?: string;
  items: Array<{ resource?: string; description: string }>;
}

export type NotificationEvent =
  | ApprovalRequestedEvent
  | ApprovalGivenEvent
  | AccessProvisionedEvent
  | AccessEndingSoonEvent
  | AccessRevokedEvent
  | BreakGlassUsedEvent
  | BreakGlassNotRatifiedEvent
  | DriftFoundEvent;

/** The event of one kind. */
export type NotificationEventOf<K extends NotificationKind> = Extract<NotificationEvent, { kind: K }>;
