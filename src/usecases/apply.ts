import type { Diagnostic } from '../core/diagnostic.js';
import type { WithheldGrant } from '../core/plan/isolate-problems.js';
import { emptyRetryReport, type RetryReport } from '../core/plan/retry-report.js';
import type { AccessPlan } from '../core/plan/access-plan.js';
import { isRemoval, type IamOperation, type OperationResult } from '../core/plan/iam-operation.js';
import type { IamProvider, IamSystemRef } from '../ports.js';
import { runBounded } from '../adapters/aws/run-bounded.js';
import { eventContext, planAccess, SYSTEM_CONCURRENCY, type PlanAccessOptions } from './plan.js';
import { findApplyEvents, findDriftEvents } from '../core/notify/apply-events.js';
import type { NotificationReport } from '../core/notify/notification-report.js';

export type ApplyAccessOptions = PlanAccessOptions;

export interface ApplyAccessReport {
  plan: AccessPlan;
  diagnostics: Diagnostic[];
  /** One result per operation executed, in plan order. */
  results: OperationResult[];
  /** Grants a problem held back (located in `diagnostics`); everything else was carried out. */
  withheld: WithheldGrant[];
  /** The calls the provider retried during the run. */
  retries: RetryReport;
  /** False when anything was withheld, the plan could not be made, or any operation failed. */
  ok: boolean;
  /** What became of the notifications (absent when nobody was to be told). */
  notifications?: NotificationReport;
}

/**
 * Plans, then executes the plan's automatic operations: everything a problem does not withhold (a
 * broken grant holds back only itself; removals go ahead). Manual operations are never executed.
 */
export async function applyAccess(options: ApplyAccessOptions): Promise<ApplyAccessReport> {
  const planned = await planAccess(options);
  const results = await applyOperations(options.provider, planned.systems, planned.plan.operations);
  const report: ApplyAccessReport = {
    plan: planned.plan,
    diagnostics: planned.diagnostics,
    results,
    withheld: planned.withheld,
    retries: options.provider.readRetries?.() ?? emptyRetryReport(),
    ok: planned.ok && results.every((r) => r.status === 'done'),
  };
  if (options.notifier && planned.repo) {
    // Told after the work, whatever it returns: a delivery never fails the run.
    const context = eventContext(options);
    const events = [
      ...findApplyEvents(planned.repo, results, { ...context, commit: options.commit ?? 'working-tree' }),
      ...findDriftEvents(planned.repo, planned.plan, { ...context, command: 'apply' }),
    ];
    if (events.length > 0) report.notifications = await options.notifier.notify(events, planned.repo);
  }
  return report;
}

/**
 * Executes operations, systems concurrently (bounded); within a system every removal finishes before any
 * addition starts, so swapping one policy for another never trips the per-user quota on the way. A
 * system whose provider cannot work at all (its role cannot be assumed) fails its own operations only.
 */
export async function applyOperations(provider: IamProvider, systems: readonly IamSystemRef[], operations: readonly IamOperation[]): Promise<OperationResult[]> {
  const byId = new Map(systems.map((s) => [s.id, s]));
  const results = new Map<IamOperation, OperationResult>();
  await runBounded([...new Set(operations.map((op) => op.system))], SYSTEM_CONCURRENCY, async (id) => {
    const system = byId.get(id);
    const ofSystem = operations.filter((op) => op.system === id);
    const fail = (ops: readonly IamOperation[], error: string) => {
      for (const op of ops) if (!results.has(op)) results.set(op, { operation: op, status: 'failed', error });
    };
    if (!system) return fail(ofSystem, `system "${id}" is not among the systems being applied`);
    try {
      for (const phase of [ofSystem.filter(isRemoval), ofSystem.filter((op) => !isRemoval(op))]) {
        if (phase.length === 0) continue;
        for (const result of await provider.applyOperations(system, phase)) results.set(result.operation, result);
      }
    } catch (error) {
      fail(ofSystem, `system "${id}" could not be changed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  return operations.map((op) => results.get(op) ?? { operation: op, status: 'failed', error: 'the provider returned no result for this operation' });
}
