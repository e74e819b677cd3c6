import type { Diagnostic } from '../core/diagnostic.js';
import type { AccountSnapshot } from '../core/iam/account-snapshot.js';
import type { InventoryInput } from '../core/inventory/build-inventory.js';
import { permissionSetScorer } from '../core/inventory/read-outs/identity-center-read-out.js';
import { runPolicySource } from '../core/risk/permission-set-policies.js';
import type { RiskScorer } from '../core/risk/risk-scorer.js';
import { findForeignSnapshotProblem } from '../core/plan/foreign-snapshot.js';
import type { IamProvider, IamSystemRef, IamUsageReader, ReadUsageOptions } from '../ports.js';
import type { AccountSystems } from './account-systems.js';
import { readSystems } from './plan.js';

/** A system left out of a read-out, and why. */
export interface UnreadSystem {
  system: string;
  message: string;
}

export interface SystemReadOut {
  system: IamSystemRef;
  snapshot: AccountSnapshot;
}

/**
 * Reads every system of a read-out command whole, with its usage, concurrently and bounded as plan reads
 * them. A system that cannot be read, or whose read is of another account, is a problem at its
 * grantops.yaml entry (plan's own `plan/system-unreachable`, `plan/wrong-account`) and is left out; the
 * others are read out. Without an access directory (the standalone account) a failed read is the
 * command's failure, as there is no entry to report it at.
 */
export async function readOutSystems(
  resolved: Pick<AccountSystems, 'repo' | 'systems'>,
  provider: IamProvider,
  usage: IamUsageReader,
  options: ReadUsageOptions = {},
): Promise<{ reads: SystemReadOut[]; problems: Diagnostic[]; unread: UnreadSystem[] }> {
  const read = async (system: IamSystemRef) => usage.addUsage(system, await provider.readSnapshot(system), options);
  const { repo, systems } = resolved;
  if (!repo) return { reads: await Promise.all(systems.map(async (system) => ({ system, snapshot: await read(system) }))), problems: [], unread: [] };
  const { accounts, problems: unreachable } = await readSystems(repo, systems, provider, { read, consequence: 'it is left out of this read-out' });
  const reads: SystemReadOut[] = [];
  const problems: Diagnostic[] = [];
  const unread: UnreadSystem[] = [];
  // readSystems reports the systems it could not read in their order.
  const failures = [...unreachable];
  for (const system of systems) {
    const snapshot = accounts.get(system.id);
    const problem = snapshot ? findForeignSnapshotProblem(repo, system.id, system.config, snapshot, 'refusing to read it out') : failures.shift();
    if (problem) {
      problems.push(problem);
      unread.push({ system: system.id, message: problem.message });
    } else {
      reads.push({ system, snapshot: snapshot! });
    }
  }
  return { reads, problems, unread };
}

/**
 * What a read-out of one system needs beyond its own snapshot: where permission sets' referenced policies
 * are found (the IAM accounts read in the same run) and, for an Identity Center instance, the score of each
 * permission set in the accounts it is assigned in.
 */
export function readOutContext(reads: readonly SystemReadOut[], scorer: RiskScorer, now: Date): (snapshot: AccountSnapshot) => Pick<InventoryInput, 'policies' | 'scorePermissionSet'> {
  const policies = runPolicySource(reads.map(({ system, snapshot }) => ({ config: system.config, snapshot })));
  return (snapshot) => ({ policies, ...(snapshot.IdentityCenter ? { scorePermissionSet: permissionSetScorer(scorer, snapshot.IdentityCenter, policies, now) } : {}) });
}
