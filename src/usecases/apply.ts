import type { Diagnostic } from '../core/diagnostic.js';
import type { AccessPlan } from '../core/plan/access-plan.js';
import { isRemoval, type IamOperation, type OperationResult } from '../core/plan/iam-operation.js';
import type { IamProvider, IamSystemRef } from '../ports.js';
import { eventContext, planAccess, type PlanAccessOptions } from './plan.js';
import { findApplyEvents, findDriftEvents } from '../core/notify/apply-events.js';
import type { NotificationReport } from '../core/notify/notification-report.js';

export interface ApplyAccessOptions extends PlanAccessOptions {
  /**
   * Narrows the plan before anything runs (e.g. the Action drops the operations of grants that did not
   * arrive through an approved pull request). Operations it drops are reported as `withheld`.
   */
  select?: (operation: IamOperation) => boolean;
}

export interface ApplyAccessReport {
  plan: AccessPlan;
  diagnostics: Diagnostic[];
  /** One result per operation executed, in plan order. */
  results: OperationResult[];
  /** Operations of the plan that `select` kept out. */
  withheld: IamOperation[];
  /** False when the plan could not be made, had an error, or any operation failed. */
  ok: boolean;
  /** What became of the notifications (absent when nobody was to be told). */
  notifications?: NotificationReport;
}

/** Plans, then executes the plan's automatic operations. Manual operations are never executed. */
export async function applyAccess(options: ApplyAccessOptions): Promise<ApplyAccessReport> {
  const planned = await planAccess(options);
  if (!planned.ok) return { plan: planned.plan, diagnostics: planned.diagnostics, results: [], withheld: [], ok: false };
  const select = options.select ?? (() => true);
  const chosen = planned.plan.operations.filter(select);
  const kept = new Set(chosen);
  const withheld = planned.plan.operations.filter((op) => !kept.has(op));
  const results = await applyOperations(options.provider, planned.systems, chosen);
  const report: ApplyAccessReport = {
    plan: planned.plan,
    diagnostics: planned.diagnostics,
    results,
    withheld,
    ok: results.every((r) => r.status === 'done'),
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
 * Executes operations system by system; within a system every removal finishes before any addition
 * starts, so swapping one policy for another never trips the per-user quota on the way.
 */
export async function applyOperations(provider: IamProvider, systems: readonly IamSystemRef[], operations: readonly IamOperation[]): Promise<OperationResult[]> {
  const byId = new Map(systems.map((s) => [s.id, s]));
  const results = new Map<IamOperation, OperationResult>();
  for (const id of new Set(operations.map((op) => op.system))) {
    const system = byId.get(id);
    const ofSystem = operations.filter((op) => op.system === id);
    if (!system) {
      for (const op of ofSystem) results.set(op, { operation: op, status: 'failed', error: `system "${id}" is not among the systems being applied` });
      continue;
    }
    for (const phase of [ofSystem.filter(isRemoval), ofSystem.filter((op) => !isRemoval(op))]) {
      if (phase.length === 0) continue;
      for (const result of await provider.applyOperations(system, phase)) results.set(result.operation, result);
    }
  }
  return operations.map((op) => results.get(op) ?? { operation: op, status: 'failed', error: 'the provider returned no result for this operation' });
}
