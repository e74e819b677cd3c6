import { readAccessDir } from '../adapters/file/read-access-dir.js';
import { diagnostic, hasErrors, START, type Diagnostic } from '../core/diagnostic.js';
import type { AccountSnapshot } from '../core/iam/account-snapshot.js';
import { loadAccessRepo } from '../core/load-access-repo.js';
import type { AccessRepo } from '../core/model.js';
import { emptyPlan, type AccessPlan } from '../core/plan/access-plan.js';
import { isolateProblems, withholdOperations, type WithheldGrant } from '../core/plan/isolate-problems.js';
import { planIam } from '../core/plan/plan-iam.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import type { GrantHistory, IamProvider, IamSystemRef, SnapshotPart } from '../ports.js';
import { readFormerGrants } from './read-former-grants.js';

/** What plan reads of an account: users with their attachments, groups, and the account's own policies. */
export const PLAN_SNAPSHOT_PARTS: readonly SnapshotPart[] = ['User', 'Group', 'LocalManagedPolicy'];

export interface PlanAccessOptions {
  /** The repository root and the access directory relative to it. */
  root: string;
  dir: string;
  provider: IamProvider;
  now: Date;
  /** Only these system ids; every system of grantops.yaml when absent. */
  systems?: readonly string[];
  /**
   * The branch's own history, which says who ever held a grant (level-triggered: on a non-exclusive
   * resource, access a grant gave is grantops's to remove once the grant is gone). Every door passes the
   * repository's (`GitGrantHistory`); null only where there is no repository (in-memory snapshots).
   */
  history: GrantHistory | null;
  /** The access directory already read (e.g. from a git ref); read from `root`/`dir` when absent. */
  snapshot?: RepoSnapshot;
}

export interface PlanAccessReport {
  plan: AccessPlan;
  /** The access directory's diagnostics, then the plan's problems. */
  diagnostics: Diagnostic[];
  /** The systems planned, as the provider addresses them (apply needs them). */
  systems: IamSystemRef[];
  /** Grants a problem holds back; `plan.operations` is everything else, which apply carries out. */
  withheld: WithheldGrant[];
  /** False when the directory or the plan has an error (something is withheld, or nothing could be planned). */
  ok: boolean;
}

/** The systems of the organisation a command works on, in grantops.yaml order. */
export function selectSystems(repo: AccessRepo, wanted: readonly string[] | undefined): { systems: IamSystemRef[]; problems: Diagnostic[] } {
  const org = repo.org;
  if (!org) return { systems: [], problems: [] };
  const all = Object.entries(org.value.systems).map(([id, config]) => ({ id, config }));
  if (!wanted || wanted.length === 0) return { systems: all, problems: [] };
  const problems = wanted
    .filter((id) => !org.value.systems[id])
    .map((id) => diagnostic(org.file, START, 'plan/unknown-system', `no system "${id}" in grantops.yaml (known: ${Object.keys(org.value.systems).join(', ') || 'none'})`));
  return { systems: all.filter((s) => wanted.includes(s.id)), problems };
}

/** Reads the access directory and one snapshot per system, and computes the plan. Writes nothing. */
export async function planAccess(options: PlanAccessOptions): Promise<PlanAccessReport> {
  const snapshot = options.snapshot ?? (await readAccessDir(options.root, options.dir));
  const { repo, diagnostics } = loadAccessRepo(snapshot, options.now);
  // One broken file withholds what depends on it, never the whole run (DESIGN §8).
  const isolation = isolateProblems(repo, diagnostics);
  if (isolation.unreadable) return { plan: emptyPlan(), diagnostics, systems: [], withheld: [], ok: false };

  const { systems, problems } = selectSystems(repo, options.systems);
  if (problems.length > 0) return { plan: emptyPlan(), diagnostics: [...diagnostics, ...problems], systems, withheld: [], ok: false };

  const [former, accounts] = await Promise.all([readFormerGrants(options.history, snapshot.dir, repo), readAccounts(options.provider, systems)]);
  const planned = planIam(isolation.repo, accounts, { now: options.now, formerGrants: former.formerGrants });
  const { plan, withheld } = withholdOperations(planned, isolation);
  const all = [...diagnostics, ...former.diagnostics, ...plan.problems];
  return { plan, diagnostics: all, systems, withheld, ok: !hasErrors(all) };
}

async function readAccounts(provider: IamProvider, systems: readonly IamSystemRef[]): Promise<Map<string, AccountSnapshot>> {
  const accounts = new Map<string, AccountSnapshot>();
  for (const system of systems) accounts.set(system.id, await provider.readSnapshot(system, { include: PLAN_SNAPSHOT_PARTS }));
  return accounts;
}
