import type { Diagnostic } from '../core/diagnostic.js';
import type { AccessPlan } from '../core/plan/access-plan.js';
import type { IamOperation, OperationResult } from '../core/plan/iam-operation.js';
import type { WithheldGrant } from '../core/plan/isolate-problems.js';
import type { ApplyOutcome } from './plan-text.js';

/** One operation as `plan` and `apply` print it: the fields the issue names first, the rest after. */
export type OperationJson = Pick<IamOperation, 'action' | 'system' | 'principal' | 'target' | 'grant' | 'reason' | 'resource' | 'drift' | 'document' | 'account' | 'refs'>;

/** One executed operation as `apply --format json` prints it. */
export type AppliedOperationJson = OperationJson & { status: OperationResult['status']; error?: string };

function operationJson(op: IamOperation): OperationJson {
  return {
    action: op.action,
    system: op.system,
    principal: op.principal,
    target: op.target,
    ...(op.account ? { account: op.account } : {}),
    grant: op.grant,
    reason: op.reason,
    resource: op.resource,
    ...(op.drift ? { drift: true } : {}),
    ...(op.document ? { document: op.document } : {}),
    ...(op.refs ? { refs: op.refs } : {}),
  };
}

/** A withheld grant as JSON: its file, the rules that hold it back, and what it would have done. */
function withheldJson(w: WithheldGrant) {
  return { grant: w.file, rules: [...new Set(w.problems.map((d) => d.rule))], operations: w.operations.map(operationJson) };
}

/** `grantops plan --format json`: an up-to-date account gives `operations: []`. */
export function renderPlanJson(plan: AccessPlan, diagnostics: readonly Diagnostic[], withheld: readonly WithheldGrant[] = []): string {
  return JSON.stringify(
    {
      ok: !diagnostics.some((d) => d.severity === 'error'),
      systems: plan.systems,
      operations: plan.operations.map(operationJson),
      withheld: withheld.map(withheldJson),
      manual: plan.manual.map(operationJson),
      problems: diagnostics,
    },
    null,
    2,
  );
}

/** `grantops apply --format json`: each executed operation with its `status` (and `error`). */
export function renderApplyJson({ results, plan, diagnostics, withheld, retries }: ApplyOutcome): string {
  return JSON.stringify(
    {
      ok: !diagnostics.some((d) => d.severity === 'error') && results.every((r) => r.status === 'done'),
      systems: plan.systems,
      operations: results.map((r): AppliedOperationJson => ({ ...operationJson(r.operation), status: r.status, ...(r.error ? { error: r.error } : {}) })),
      withheld: withheld.map(withheldJson),
      retries: retries ?? { total: 0, byReason: {}, gaveUp: 0 },
      manual: plan.manual.map(operationJson),
      problems: diagnostics,
    },
    null,
    2,
  );
}
