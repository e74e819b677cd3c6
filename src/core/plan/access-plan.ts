import type { Diagnostic } from '../diagnostic.js';
import type { IamOperation } from './iam-operation.js';

/**
 * What applying the repository to the accounts would change. `operations` are what `apply` executes
 * (removals first); `manual` are the operations of `provision: manual` resources, listed for a person
 * or another process to carry out and never executed; `problems` (quota pre-flight, unknown IAM users
 * or groups, a state of the wrong account) each name the grant, and a plan with an error is not applied.
 */
export interface AccessPlan {
  systems: string[];
  operations: IamOperation[];
  manual: IamOperation[];
  problems: Diagnostic[];
  /** Systems left out whole (unreadable, or a read of another account): nothing is planned or applied for them. */
  withheldSystems?: string[];
}

export function emptyPlan(systems: string[] = []): AccessPlan {
  return { systems, operations: [], manual: [], problems: [] };
}

/**
 * Problems of a whole system (it could not be read, or the read is of another account): they withhold
 * that system alone, and the other systems are still applied.
 */
export const SYSTEM_PROBLEMS: ReadonlySet<string> = new Set(['plan/system-unreachable', 'plan/wrong-account']);

export function isSystemProblem(problem: Pick<Diagnostic, 'rule'>): boolean {
  return SYSTEM_PROBLEMS.has(problem.rule);
}
