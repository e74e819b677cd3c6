import { readAccessDir } from '../adapters/file/read-access-dir.js';
import { diagnostic, hasErrors, START, type Diagnostic } from '../core/diagnostic.js';
import type { AccountSnapshot } from '../core/iam/account-snapshot.js';
import { loadAccessRepo } from '../core/load-access-repo.js';
import type { AccessRepo } from '../core/model.js';
import { emptyPlan, type AccessPlan } from '../core/plan/access-plan.js';
import { planIam, type FormerGrant } from '../core/plan/plan-iam.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import type { IamProvider, IamSystemRef, Notifier, SnapshotPart } from '../ports.js';
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
   * Grants that existed before and may since have been deleted (e.g. the grants at the previous
   * commit): on a non-exclusive resource, access they gave is grantops's to remove.
   */
  formerGrants?: readonly FormerGrant[];
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
  /** False when the directory does not validate or the plan has an error: nothing may be applied. */
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
  if (hasErrors(diagnostics)) return { plan: emptyPlan(), diagnostics, systems: [], ok: false };

  const { systems, problems } = selectSystems(repo, options.systems);
  if (problems.length > 0) return { plan: emptyPlan(), diagnostics: [...diagnostics, ...problems], systems, ok: false };

  const accounts = new Map<string, AccountSnapshot>();
  for (const system of systems) {
    accounts.set(system.id, await options.provider.readSnapshot(system, { include: PLAN_SNAPSHOT_PARTS }));
  }
  const plan = planIam(repo, accounts, { now: options.now, formerGrants: options.formerGrants });
  const all = [...diagnostics, ...plan.problems];
  return { plan, diagnostics: all, systems, ok: !hasErrors(all), repo };
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
