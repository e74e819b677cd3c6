import type { Diagnostic } from '../core/diagnostic.js';
import type { AccessPlan } from '../core/plan/access-plan.js';
import { isRemoval, targetText, type IamOperation, type OperationResult } from '../core/plan/iam-operation.js';

function operationLine(op: IamOperation, mark?: string): string {
  const sign = mark ?? (isRemoval(op) ? '-' : '+');
  const why = op.grant ? `${op.grant}: ${op.reason}` : `${op.resource}: ${op.reason}`;
  return `  ${sign} ${op.system} ${op.action} ${op.principal} ${targetText(op)}\n      ${why}`;
}

function problemLines(problems: readonly Diagnostic[]): string[] {
  return problems.map((d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule} ${d.message}`);
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What `grantops plan` prints: the operations, removals first, then what a person must carry out. */
export function renderPlanText(plan: AccessPlan, diagnostics: readonly Diagnostic[]): string {
  const lines: string[] = [];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  lines.push(...problemLines(diagnostics));
  if (plan.operations.length > 0) {
    lines.push('Operations:');
    lines.push(...plan.operations.map((op) => operationLine(op)));
  }
  if (plan.manual.length > 0) {
    lines.push('Manual (provision: manual, carried out by a person; apply does not run these):');
    lines.push(...plan.manual.map((op) => operationLine(op)));
  }
  if (errors.length > 0) {
    lines.push(`Plan failed: ${count(errors.length, 'error')}; nothing may be applied until they are fixed.`);
  } else if (plan.operations.length === 0 && plan.manual.length === 0) {
    lines.push(`No changes: ${plan.systems.length === 0 ? 'no system was planned' : `${plan.systems.join(', ')} match${plan.systems.length === 1 ? 'es' : ''} the repository`}.`);
  } else {
    const removals = plan.operations.filter(isRemoval).length;
    const drift = plan.operations.filter((op) => op.drift).length;
    lines.push(`Plan: ${count(plan.operations.length, 'operation')} (${plan.operations.length - removals} to add, ${removals} to remove${drift > 0 ? `, ${drift} of them drift` : ''}), ${plan.manual.length} manual.`);
  }
  return lines.join('\n');
}

/** What `grantops apply` prints: each operation with its outcome, then the totals. */
export function renderApplyText(results: readonly OperationResult[], plan: AccessPlan, diagnostics: readonly Diagnostic[], withheld: readonly IamOperation[] = []): string {
  const lines: string[] = [...problemLines(diagnostics)];
  for (const result of results) {
    lines.push(operationLine(result.operation, result.status === 'done' ? 'ok' : 'FAILED'));
    if (result.error) lines.push(`      ${result.error}`);
  }
  if (withheld.length > 0) {
    lines.push('Withheld (not applied):');
    lines.push(...withheld.map((op) => operationLine(op, '!')));
  }
  if (plan.manual.length > 0) {
    lines.push('Manual (provision: manual, not applied):');
    lines.push(...plan.manual.map((op) => operationLine(op)));
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  if (diagnostics.some((d) => d.severity === 'error')) lines.push('Nothing applied: the plan has errors.');
  else if (results.length === 0) lines.push('No changes: nothing to apply.');
  else lines.push(`Applied ${results.length - failed} of ${count(results.length, 'operation')}${failed > 0 ? `; ${failed} failed` : ''}.`);
  return lines.join('\n');
}
