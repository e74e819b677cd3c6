import { readAccessDir } from '../adapters/file/read-access-dir.js';
import { diagnostic, hasErrors, START, type Diagnostic } from '../core/diagnostic.js';
import type { AccountSnapshot } from '../core/iam/account-snapshot.js';
import { loadAccessRepo } from '../core/load-access-repo.js';
import type { AccessRepo } from '../core/model.js';
import { emptyPlan, type AccessPlan } from '../core/plan/access-plan.js';
import { isolateProblems, withholdOperations, type WithheldGrant } from '../core/plan/isolate-problems.js';
import { planIam } from '../core/plan/plan-iam.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import { systemTypeOf } from '../core/systems/registry.js';
import { locate } from '../core/yaml-source.js';
import type { GrantHistory, IamProvider, IamSystemRef, Notifier, ReadSnapshotOptions, SnapshotPart } from '../ports.js';
import { runBounded } from '../adapters/aws/run-bounded.js';
import { readFormerGrants } from './read-former-grants.js';
import { findDriftEvents } from '../core/notify/apply-events.js';
import type { EventContext } from '../core/notify/event-context.js';
import type { NotificationReport } from '../core/notify/notification-report.js';

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
  /** Told of drift (and, by apply, of access given and taken away); absent: nobody is. */
  notifier?: Notifier;
  /** `owner/repo` and the commit planned, for the events' keys and text. */
  repository?: string;
  commit?: string;
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
  /** The rules as loaded (absent when the directory did not load). */
  repo?: AccessRepo;
  /** What became of the notifications (absent when nobody was to be told). */
  notifications?: NotificationReport;
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

  const [former, { accounts, problems: unreachable }] = await Promise.all([readFormerGrants(options.history, snapshot.dir, repo), readSystems(repo, systems, options.provider)]);
  const planned = planIam(isolation.repo, accounts, { now: options.now, formerGrants: former.formerGrants });
  planned.systems = systems.map((s) => s.id);
  const unread = systems.filter((s) => !accounts.has(s.id)).map((s) => s.id);
  if (unread.length > 0) planned.withheldSystems = [...unread, ...(planned.withheldSystems ?? [])];
  const { plan, withheld } = withholdOperations(planned, isolation);
  const all = [...diagnostics, ...former.diagnostics, ...unreachable, ...plan.problems];
  return { plan, diagnostics: all, systems, withheld, ok: !hasErrors(all), repo };
}

/** Systems read at once; more wait their turn (each read is itself several calls in flight). */
export const SYSTEM_CONCURRENCY = 8;

/**
 * What plan reads of a system: users, groups, local policies, what the kinds its resources use need
 * besides (a role's trust policy), and for Identity Center only the declared permission set x account pairs.
 */
export function planReadOptions(repo: AccessRepo, system: IamSystemRef): ReadSnapshotOptions {
  const resources = [...repo.resources.values()].map((r) => r.value).filter((r) => r.system === system.id);
  const kinds = systemTypeOf(system.config).kinds.filter((k) => resources.some((r) => k.accepts(r.grants)));
  const include = [...new Set([...PLAN_SNAPSHOT_PARTS, ...(kinds.flatMap((k) => k.reads ?? []) as SnapshotPart[])])];
  if (system.config.type !== 'aws-identity-center') return { include };
  const assignmentPairs = resources.flatMap((r) => ('permissionSet' in r.grants ? r.grants.accounts.map((accountId) => ({ permissionSet: (r.grants as { permissionSet: string }).permissionSet, accountId })) : []));
  return { include, assignmentPairs };
}

/**
 * Reads every system concurrently (bounded), by default what plan needs of it (`read` says otherwise:
 * the read-outs read everything). A system that cannot be read (its role cannot be assumed, its endpoint
 * does not answer) becomes a problem of that system alone; the others are read.
 */
export async function readSystems(
  repo: AccessRepo,
  systems: readonly IamSystemRef[],
  provider: IamProvider,
  options: { read?: (system: IamSystemRef) => Promise<AccountSnapshot>; consequence?: string } = {},
): Promise<{ accounts: Map<string, AccountSnapshot>; problems: Diagnostic[] }> {
  const reads = await runBounded(systems, SYSTEM_CONCURRENCY, async (system) => {
    try {
      return { system, snapshot: await (options.read ? options.read(system) : provider.readSnapshot(system, planReadOptions(repo, system))) };
    } catch (error) {
      return { system, error: error instanceof Error ? error.message : String(error) };
    }
  });
  const accounts = new Map<string, AccountSnapshot>();
  const problems: Diagnostic[] = [];
  const orgFile = repo.org?.file ?? `${repo.dir}/grantops.yaml`;
  for (const read of reads) {
    if ('snapshot' in read) accounts.set(read.system.id, read.snapshot!);
    else problems.push(diagnostic(orgFile, locate(repo.org?.source, ['systems', read.system.id]), 'plan/system-unreachable', `system "${read.system.id}" could not be read, so ${options.consequence ?? 'nothing is applied to it'}: ${read.error}`));
  }
  return { accounts, problems };
}

/** `grantops plan` with its notifications: drift the plan found is told (once per distinct drift). */
export async function planAndNotify(options: PlanAccessOptions): Promise<PlanAccessReport> {
  const report = await planAccess(options);
  if (!options.notifier || !report.repo) return report;
  const events = findDriftEvents(report.repo, report.plan, { ...eventContext(options), command: 'plan' });
  return events.length > 0 ? { ...report, notifications: await options.notifier.notify(events, report.repo) } : report;
}

export function eventContext(options: Pick<PlanAccessOptions, 'now' | 'repository' | 'commit'>): EventContext {
  return { at: options.now.toISOString(), ...(options.repository ? { repository: options.repository } : {}), ...(options.commit ? { commit: options.commit } : {}) };
}
