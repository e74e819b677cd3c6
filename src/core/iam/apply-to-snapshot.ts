import { entitlementKindOfAction } from '../entitlements/registry.js';
import type { IamOperation } from '../plan/iam-operation.js';
import type { SystemSnapshot } from '../systems/system-type.js';

/**
 * Carries one operation out on a snapshot in memory, the way the system would: it changes `snapshot`
 * and returns undefined, or returns why the system would refuse (the snapshot is then unchanged).
 * Removing what is already gone succeeds, so a run interrupted halfway can simply run again.
 */
export function applyToSnapshot(snapshot: SystemSnapshot, op: IamOperation): string | undefined {
  return entitlementKindOfAction(op.action).applyToSnapshot(snapshot, op);
}
