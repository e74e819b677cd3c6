import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { GrantFile, PolicyDocument, ResourceFile } from '../model.js';
import type { IamAction, IamOperation } from '../plan/iam-operation.js';
import type { ResourcePermissions, ResourceRiskContext } from '../risk/resource-permissions.js';

/**
 * One thing a resource hands a principal, in the system's own terms: a managed policy ARN, a group
 * name, an inline policy name with its document.
 */
export interface EntitlementTarget {
  /** The kind's id (`EntitlementKind.id`). */
  kind: string;
  /** What the principal holds, as the system names it. */
  name: string;
  /** The AWS account the holding is in, for kinds that reach many accounts from one system (account assignments). */
  account?: string;
  /** The document that must be in place, for kinds whose holding carries one (inline policies, trust statements). */
  document?: PolicyDocument;
  /** The system's ids for the names (a permission set's ARN, a user's id), so apply needs no lookup. */
  refs?: Record<string, string>;
}

/** How a holding is keyed: its name, and its account when it has one. */
export function holdingName(target: Pick<EntitlementTarget, 'name' | 'account'>): string {
  return target.account ? `${target.name}@${target.account}` : target.name;
}

/** What a grant's target is computed from: the grant (its dates), its principal and the system's snapshot. */
export interface TargetContext<S> {
  grant?: GrantFile;
  principal?: string;
  snapshot?: S;
}

/** What a principal holds of one kind, by `holdingName`: the document where the kind has one, the account where the holding is in one. */
export type HeldTargets = ReadonlyMap<string, { document?: PolicyDocument; account?: string }>;

/** Held targets per principal (IAM user name). */
export type Holdings = ReadonlyMap<string, HeldTargets>;

/** Why a target cannot be granted in this account (grantops creates no entities). */
export interface MissingEntity {
  rule: string;
  message: string;
}

/** A per-principal limit of the account, checked before anything is applied. */
export interface EntitlementQuota<S> {
  rule: string;
  /** The limit in this account (e.g. from `GetAccountSummary`'s SummaryMap, AWS's default when absent). */
  limit(snapshot: S): number;
  /** How much of the limit a principal's holdings of this kind use. */
  measure(held: HeldTargets): number;
  message(principal: string, used: number, limit: number): string;
}

/**
 * A kind of access grantops can hand out (an attached managed policy, a group membership, an inline
 * policy, ...). Each kind is one file that says how it is found in a snapshot, the operations that add
 * and remove it, its quota and how it is described; the planner iterates over the registry of kinds
 * and knows none of them by name.
 */
export interface EntitlementKind<S = AccountSnapshot> {
  readonly id: string;
  /** Parts of the account read-out beyond users, groups and local policies that finding holdings needs (e.g. `Role`). */
  readonly reads?: readonly string[];
  /** Whether a resource's `grants` block is of this kind. */
  accepts(grants: ResourceFile['grants']): boolean;
  /**
   * What a grant of the resource must give its principal: one target, or one per account. Without a
   * context, what the resource hands out in general (for read-outs).
   */
  targetsOf(resource: Pick<ResourceFile, 'id' | 'grants'>, context?: TargetContext<S>): EntitlementTarget[];
  /** Who holds what of this kind in the snapshot. */
  holdings(snapshot: S): Holdings;
  /**
   * What groups hold of this kind, by group name, where the system lets groups hold it (Identity Center
   * assigns permission sets to groups): read out, never changed, as grantops grants to people.
   */
  groupHoldings?(snapshot: S): Holdings;
  /** The entity the target names when the snapshot lacks it. */
  findMissing?(snapshot: S, target: EntitlementTarget): MissingEntity | undefined;
  /**
   * True when grantops recognises its own holdings by their name (an inline policy named after the
   * resource): a holder with no live grant is grantops's to remove even on a non-exclusive resource.
   */
  readonly ownedByName: boolean;
  /** Why a held target must be written again (its document differs from the wanted one), or undefined. */
  findDifference?(held: { document?: PolicyDocument }, wanted: EntitlementTarget, resourceId: string): string | undefined;
  /** What a removal carries beyond the target (e.g. the deny that ends a role's live sessions), at `now`. */
  removalDocument?(principal: string, target: EntitlementTarget, now: Date): PolicyDocument | undefined;
  /** What a removal does beyond taking the target away, said in its reason. */
  readonly removalNote?: string;
  readonly addAction: IamAction;
  readonly removeAction: IamAction;
  quota?: EntitlementQuota<S>;
  /**
   * Carries one of this kind's operations out on a snapshot in memory, the way the system would; returns
   * why the system would refuse it (the snapshot is then unchanged). Removing what is gone succeeds.
   */
  applyToSnapshot(snapshot: S, op: IamOperation): string | undefined;
  /** The exact AWS CLI command that carries one of this kind's operations out (manual provisioning). */
  cliCommand(op: IamOperation): string;
  /** How a person reads the target: `managed policy arn:...`. */
  describe(target: Pick<EntitlementTarget, 'name' | 'account'>): string;
  /**
   * What a resource of this kind hands out, as permissions the risk scorer reads (resource risk, the
   * approval's escalation, the sensitivity warning), and what could not be read. Absent: not scored.
   */
  riskOf?(resource: Pick<ResourceFile, 'id' | 'grants'>, context: ResourceRiskContext): ResourcePermissions;
}

export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
