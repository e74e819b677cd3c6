import type { Diagnostic } from '../core/diagnostic.js';
import type { AccessPlan } from '../core/plan/access-plan.js';
import { isRemoval, targetText, type IamOperation, type OperationResult } from '../core/plan/iam-operation.js';
import type { WithheldGrant } from '../core/plan/isolate-problems.js';
import type { RetryReport } from '../core/plan/retry-report.js';

/** What an apply run did, as the renderers read it. */
export interface ApplyOutcome {
  results: readonly OperationResult[];
  plan: AccessPlan;
  diagnostics: readonly Diagnostic[];
  withheld: readonly WithheldGrant[];
  /** Calls the provider retried (throttling, concurrent modification, 5xx, dropped connections). */
  retries?: RetryReport;
}

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

function withheldLines(withheld: readonly WithheldGrant[]): string[] {
  if (withheld.length === 0) return [];
  const lines = ['Withheld (a problem holds these grants back; nothing else waits for them):'];
  for (const w of withheld) {
    lines.push(`  ! ${w.file}: ${[...new Set(w.problems.map((d) => d.rule))].join(', ')}`);
    lines.push(...w.operations.map((op) => `      would ${op.action} ${op.principal} ${op.target} in ${op.system}`));
  }
  return lines;
}

/** One line on the retries a run needed: silence would make a throttled run look like a clean one. */
export function retryLine(retries: RetryReport | undefined): string[] {
  if (!retries || retries.total === 0) return [];
  const kinds = Object.entries(retries.byReason).map(([reason, n]) => `${n} ${reason}`).join(', ');
  return [`Retried ${count(retries.total, 'call')} (${kinds}); ${retries.gaveUp > 0 ? `${retries.gaveUp} gave up` : 'all recovered'}.`];
}

/** What `grantops plan` prints: the operations, removals first, then what a person must carry out. */
export function renderPlanText(plan: AccessPlan, diagnostics: readonly Diagnostic[], withheld: readonly WithheldGrant[] = []): string {
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
  lines.push(...withheldLines(withheld));
  if (errors.length > 0) {
    lines.push(`Plan failed: ${count(errors.length, 'error')}; ${count(withheld.length, 'grant')} withheld until fixed; apply carries out the ${count(plan.operations.length, 'other operation')}.`);
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
export function renderApplyText({ results, plan, diagnostics, withheld, retries }: ApplyOutcome): string {
  const lines: string[] = [...problemLines(diagnostics)];
  for (const result of results) {
    lines.push(operationLine(result.operation, result.status === 'done' ? 'ok' : 'FAILED'));
    if (result.error) lines.push(`      ${result.error}`);
  }
  lines.push(...withheldLines(withheld));
  if (plan.manual.length > 0) {
    lines.push('Manual (provision: manual, not applied):');
    lines.push(...plan.manual.map((op) => operationLine(op)));
  }
  const failed = results.filter((r) => r.status === 'failed').length;
  lines.push(...retryLine(retries));
  const held = withheld.length > 0 ? `; ${count(withheld.length, 'grant')} withheld` : diagnostics.some((d) => d.severity === 'error') ? '; the plan has errors' : '';
  if (results.length === 0) lines.push(`No changes applied${held || ': nothing to apply'}.`);
  else lines.push(`Applied ${results.length - failed} of ${count(results.length, 'operation')}${failed > 0 ? `; ${failed} failed` : ''}${held}.`);
  return lines.join('\n');
}
