import type { SystemConfig } from '../model.js';
import { awsAccount } from './aws-account.js';
import { identityCenter } from './identity-center.js';
import type { SystemSnapshot, SystemType } from './system-type.js';

/** Every type of system grantops connects to. A new type is a file of its own, listed here. */
export const SYSTEM_TYPES: readonly SystemType<SystemSnapshot>[] = [awsAccount, identityCenter];

export function systemTypeOf(config: Pick<SystemConfig, 'type'>): SystemType<SystemSnapshot> {
  const type = SYSTEM_TYPES.find((t) => t.type === config.type);
  if (!type) throw new Error(`no system type "${config.type}"`);
  return type;
}
