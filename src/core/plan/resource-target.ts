import type { EntitlementTarget } from '../entitlements/entitlement-kind.js';
import { entitlementKindOf } from '../entitlements/registry.js';
import type { ResourceGrants } from '../model.js';

/** What a resource hands a principal, in the system's terms. */
export type ResourceTarget = EntitlementTarget;

export function resourceTarget(resourceId: string, grants: ResourceGrants): ResourceTarget {
  return entitlementKindOf(grants).targetsOf({ id: resourceId, grants })[0]!;
}

/** One principal's hold on one target: the unit plans add, keep and remove. */
export function holdingKey(kind: string, principal: string, target: string): string {
  return `${kind}\u0000${principal}\u0000${target}`;
}
