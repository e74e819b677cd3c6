import type { ResourceGrants } from '../model.js';
import type { IamAction } from '../plan/iam-operation.js';
import { SYSTEM_TYPES } from '../systems/registry.js';
import type { SystemSnapshot } from '../systems/system-type.js';
import type { EntitlementKind } from './entitlement-kind.js';

/** Every kind of access grantops hands out, over every system type. A new kind is a file of its own, listed by its system type. */
export const ENTITLEMENT_KINDS: readonly EntitlementKind<SystemSnapshot>[] = SYSTEM_TYPES.flatMap((t) => t.kinds);

/** The kind a resource's `grants` block is of; the schema admits no block without one. */
export function entitlementKindOf(grants: ResourceGrants): EntitlementKind<SystemSnapshot> {
  const kind = ENTITLEMENT_KINDS.find((k) => k.accepts(grants));
  if (!kind) throw new Error(`no kind of entitlement accepts grants ${JSON.stringify(grants)}`);
  return kind;
}

/** The kind an operation belongs to, by its action. */
export function entitlementKindOfAction(action: IamAction): EntitlementKind<SystemSnapshot> {
  const kind = ENTITLEMENT_KINDS.find((k) => k.addAction === action || k.removeAction === action);
  if (!kind) throw new Error(`no kind of entitlement has the action ${action}`);
  return kind;
}

