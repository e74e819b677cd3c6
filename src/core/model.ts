import type { YamlSource } from './yaml-source.js';

/**
 * The file format's contract (DESIGN §2). `src/core/schemas/` types its JSON Schemas against these
 * interfaces, so a field cannot be added to one without the other.
 */

export interface SensitivityLevel {
  /** Roles that must each be met by an approval: `manager`, `owner`, or any role people hold (e.g. `executive`). */
  approvers: string[];
  /** Roles told about a grant without their approval being needed. */
  notify?: string[];
  maxAccess: string;
  approvalTtl: string;
  /** Whether (and for whom) grants at this level may pass at once and be ratified afterwards. */
  breakGlass?: BreakGlassPolicy;
}

/**
 * Break-glass: a grant that passes at once, without the approvals its sensitivity needs, for people who
 * hold one of `roles`, for at most `maxAccess`; the approvers the sensitivity names then have `ratifyWithin`
 * after the merge to ratify it, or the next expire run revokes it.
 */
export interface BreakGlassPolicy {
  /** Roles people hold in people.yaml (e.g. `oncall`, or a team kept as a role): their holders may break glass. */
  roles: string[];
  /** The longest access a break-glass grant gives, from when it is asked (at most 24h). */
  maxAccess: string;
  /** How long after the merge the sensitivity's approvers have to ratify it. */
  ratifyWithin: string;
}

export interface SensitivityDefault {
  /** A minimatch glob over resource ids; the first matching entry wins. */
  resources: string;
  sensitivity: string;
}

export interface AwsSystem {
  type: 'aws';
  accountId: string;
  region?: string;
  /** IAM endpoint override, e.g. a local emulator. */
  endpoint?: string;
  /** The connector role grantops assumes in this account. */
  roleArn?: string;
  /** The read-only role commands that only read (plan, the read-out) use instead, when set. */
  planRoleArn?: string;
  /** The external id the connector role's trust policy asks for, if any. */
  externalId?: string;
}

/** An IAM Identity Center instance (in the management or delegated-administrator account). */
export interface IdentityCenterSystem {
  type: 'aws-identity-center';
  /** `arn:aws:sso:::instance/ssoins-...`. */
  instanceArn: string;
  /** The instance's identity store, `d-...`. */
  identityStoreId: string;
  region?: string;
  /** sso-admin and identitystore endpoint override, e.g. a local emulator. */
  endpoint?: string;
  /** The connector role grantops assumes in the account that administers the instance. */
  roleArn?: string;
  /** The read-only role commands that only read (plan, the read-out) use instead, when set. */
  planRoleArn?: string;
  externalId?: string;
}

/** Any system of grantops.yaml; `type` says which (see `core/systems/`). */
export type SystemConfig = AwsSystem | IdentityCenterSystem;

/** How risk scores feed the approval and the read-out (`risk:` in grantops.yaml; every field optional). */
export interface RiskSettings {
  /** A grant whose resource scores above this (0-100) needs the approvers of one sensitivity level higher. */
  escalateAbove?: number;
  /** A grant that opens a privilege-escalation path to its grantee escalates the same way (default true). */
  escalateOnPrivilegeEscalation?: boolean;
  /** The lowest risk score each sensitivity level suits, by level name (default: the 0-100 range split evenly). */
  levels?: Record<string, number>;
  /** Access not used within this window is reported as unused (default 90d). */
  unusedAfter?: string;
  /** Access keys older than this are reported for rotation (default 90d). */
  keyMaxAge?: string;
}

export interface OrgConfig {
  org: string;
  owners: string[];
  /** Ordered from least to most sensitive. */
  sensitivity: Record<string, SensitivityLevel>;
  defaults?: SensitivityDefault[];
  expiry?: { warnBefore?: string };
  systems: Record<string, SystemConfig>;
  risk?: RiskSettings;
  /**
   * Paths outside the access directory that steer what grantops applies (globs, repository-relative):
   * changing one is a rules change needing an org owner. Absent: DEFAULT_PROTECTED_PATHS.
   */
  protectedPaths?: string[];
  /**
   * Who approves in place of a role nobody else can fill (the only owner asks, the top of the manager
   * chain asks): `org-owner`, a role people hold, or a GitHub team `@org/slug`. Absent: no fallback.
   */
  approvalFallback?: string;
  /** Where grantops tells people what happened (channels, each with the events it gets). */
  notifications?: NotificationSettings;
}

/** A secret is never written in the repository: its value is read from this environment variable when a channel sends. */
export interface SecretRef {
  env: string;
}

/** What every channel has: which events it gets, optionally only those about grants at some sensitivity levels. */
export interface ChannelCommon {
  /** Event kinds (see src/core/notify/notification-event.ts), or `all`. */
  events: string[];
  /** Only events about grants at these sensitivity levels (events about no grant, e.g. drift, always pass). */
  sensitivity?: string[];
}

/** A Slack incoming webhook: one Block Kit message per event. */
export interface SlackChannelConfig extends ChannelCommon {
  type: 'slack';
  webhookUrl: SecretRef;
}

/** Mail over SMTP: one message per event, to the people it concerns (their people.yaml email) or to fixed addresses. */
export interface EmailChannelConfig extends ChannelCommon {
  type: 'email';
  smtp: { host: string; port?: number; secure?: boolean; user?: string; password?: SecretRef };
  from: string;
  /** Fixed addresses; without them each event goes to the people it concerns. */
  to?: string[];
}

/** An HTTPS endpoint: the event as JSON, signed with HMAC-SHA256 over the timestamp and the body. */
export interface WebhookChannelConfig extends ChannelCommon {
  type: 'webhook';
  url: string;
  secret: SecretRef;
}

export type ChannelConfig = SlackChannelConfig | EmailChannelConfig | WebhookChannelConfig;

export interface NotificationSettings {
  /** By channel name. */
  channels: Record<string, ChannelConfig>;
}

export interface Person {
  login: string;
  name: string;
  email?: string;
  manager?: string;
  roles?: string[];
  /** How the person is found in AWS: their IAM user, and their Identity Center user name (default: their email). */
  aws?: { user?: string; identityCenterUser?: string };
}

export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement[] | PolicyStatement;
  Id?: string;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
  NotPrincipal?: unknown;
}

/** What a resource hands out: exactly one of these. */
export type ResourceGrants =
  | { managedPolicy: string }
  | { group: string }
  | { inlinePolicy: PolicyDocument }
  /** An Identity Center permission set, assigned to the person in each listed account. */
  | { permissionSet: string; accounts: string[] }
  /** The right to assume an IAM role: a statement for the person's IAM user in the role's trust policy. */
  | { role: string };

export interface ResourceFile {
  id: string;
  system: string;
  description?: string;
  sensitivity?: string;
  owners: string[];
  provision?: 'auto' | 'manual';
  /** Authoritative: members or attachments nobody granted are drift and are removed. */
  exclusive?: boolean;
  /** A limit shorter than the sensitivity's. */
  maxAccess?: string;
  grants: ResourceGrants;
  /** Break-glass for this resource; overrides its sensitivity level's. */
  breakGlass?: BreakGlassPolicy;
}

export type GrantStatus = 'active' | 'expired';

export interface GrantFile {
  user: string;
  resource: string;
  reason: string;
  /** ISO 8601: when provisioned access is removed. */
  expires: string;
  /** ISO 8601: until when the access may be renewed without a new human approval. */
  approvalExpires?: string;
  status: GrantStatus;
  /** Asked as break-glass: passed at once for an eligible requester, to be ratified after the merge. */
  breakGlass?: boolean;
}

/** A value together with where it came from. */
export interface Sourced<T> {
  value: T;
  /** Repository-relative path. */
  file: string;
  source?: YamlSource;
}

export interface Resource extends ResourceFile {
  /** The sensitivity in force: the resource's own, or inherited from `defaults`. */
  effectiveSensitivity: string;
}

/** Everything in the access directory, parsed. Maps are keyed by login / resource id / grant file path. */
export interface AccessRepo {
  dir: string;
  org?: Sourced<OrgConfig>;
  people: Map<string, Sourced<Person>>;
  peopleFile?: Sourced<Person[]>;
  resources: Map<string, Sourced<Resource>>;
  grants: Map<string, Sourced<GrantFile>>;
}

export function grantKey(grant: Pick<GrantFile, 'user' | 'resource'>): string {
  return `${grant.user}/${grant.resource}`;
}

export function sensitivityOrder(org: OrgConfig): string[] {
  return Object.keys(org.sensitivity);
}
