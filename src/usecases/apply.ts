import type { Diagnostic } from '../core/diagnostic.js';
import type { WithheldGrant } from '../core/plan/isolate-problems.js';
import { emptyRetryReport, type RetryReport } from '../core/plan/retry-report.js';
import type { AccessPlan } from '../core/plan/access-plan.js';
import { isRemoval, type IamOperation, type OperationResult } from '../core/plan/iam-operation.js';
import type { IamProvider, IamSystemRef } from '../ports.js';
import { planAccess, type PlanAccessOptions } from './plan.js';

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
}

/**
 * Plans, then executes the plan's automatic operations: everything a problem does not withhold (a
 * broken grant holds back only itself; removals go ahead). Manual operations are never executed.
 */
export async function applyAccess(options: ApplyAccessOptions): Promise<ApplyAccessReport> {
  const planned = await planAccess(options);
  const results = await applyOperations(options.provider, planned.systems, planned.plan.operations);
  return {
    plan: planned.plan,
    diagnostics: planned.diagnostics,
    results,
    withheld: planned.withheld,
    retries: options.provider.readRetries?.() ?? emptyRetryReport(),
    ok: planned.ok && results.every((r) => r.status === 'done'),
  };
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
