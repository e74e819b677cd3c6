import { runBounded } from '../adapters/aws/run-bounded.js';
import type { AccountSnapshot } from '../core/iam/account-snapshot.js';
import type { SystemConfig } from '../core/model.js';
import type { IamProvider, ReadSnapshotOptions } from '../ports.js';
import { SYSTEM_CONCURRENCY } from './plan.js';

/**
 * Every system of grantops.yaml read concurrently (bounded, as plan reads), by id. One that cannot be
 * read rejects the whole: for callers that must not judge on part of the organisation (the approval).
 */
export async function readAllSystems(systems: Readonly<Record<string, SystemConfig>>, provider: IamProvider, options?: ReadSnapshotOptions): Promise<Map<string, AccountSnapshot>> {
  const entries = Object.entries(systems);
  const read = await runBounded(entries, SYSTEM_CONCURRENCY, ([id, config]) => provider.readSnapshot({ id, config }, options));
  return new Map(entries.map(([id], i) => [id, read[i]!]));
}
