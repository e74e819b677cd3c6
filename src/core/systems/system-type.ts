import type { EntitlementKind } from '../entitlements/entitlement-kind.js';
import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { Person, SystemConfig } from '../model.js';

/**
 * A type of system grantops connects to (`type:` in grantops.yaml): how a person is named there, who
 * exists in its snapshot, whether a snapshot belongs to the configured system, and which kinds of
 * entitlement it hands out. One file per type; the planner knows none of them by name.
 */
export interface SystemType<S> {
  readonly type: SystemConfig['type'];
  /** The grantops.yaml fields of this type beyond the common ones (`COMMON_SYSTEM_FIELDS`). */
  readonly configFields: readonly string[];
  /** The kinds of entitlement resources of this system may hand out. */
  readonly kinds: readonly EntitlementKind<S>[];
  /** What the principal is called, for messages: `IAM user`. */
  readonly principalNoun: string;
  /** The person's principal name in this system, or why they have none. */
  principalOf(person: Person): { name: string } | { missing: string };
  /** The principals that exist in the snapshot. */
  principals(snapshot: S): ReadonlySet<string>;
  /**
   * Why the snapshot is not of the configured system (a state or credentials for another account would
   * turn every difference into a mutation), with the grantops.yaml field to point at; undefined when it is.
   */
  findForeignSnapshot(config: SystemConfig, snapshot: S): { field: string; message: string } | undefined;
}

/** What a provider reads of one system, whatever its type. */
export type SystemSnapshot = AccountSnapshot;

/** The grantops.yaml fields every system type has. */
export const COMMON_SYSTEM_FIELDS: readonly string[] = ['type', 'region', 'endpoint', 'roleArn', 'planRoleArn', 'externalId'];
