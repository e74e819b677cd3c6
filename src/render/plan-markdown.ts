import type { AccessPlan } from '../core/plan/access-plan.js';
import { targetText, type IamOperation, type OperationResult } from '../core/plan/iam-operation.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function row(op: IamOperation, outcome: string): string {
  return `| ${[op.system, op.action, `\`${op.principal}\``, `\`${targetText(op)}\``, op.grant ? `\`${op.grant}\`` : `drift (${op.resource})`, op.reason, outcome].map(cell).join(' | ')} |`;
}

/**
 * A markdown table of a plan, or of what apply did when `results` are given: for a job summary or a
 * pull request comment.
 */
export function renderPlanMarkdown(plan: AccessPlan, results?: readonly OperationResult[]): string {
  const header = '| system | action | principal | target | grant | reason | result |\n|---|---|---|---|---|---|---|';
  const lines: string[] = [];
  const rows = results
    ? results.map((r) => row(r.operation, r.status === 'done' ? 'done' : `**failed**: ${r.error ?? ''}`))
    : plan.operations.map((op) => row(op, 'planned'));
  if (rows.length === 0) lines.push('No IAM changes.');
  else lines.push(header, ...rows);
  if (plan.manual.length > 0) {
    lines.push('', '**Manual** (`provision: manual`; carried out by a person, not by grantops):', '', header, ...plan.manual.map((op) => row(op, 'manual')));
  }
  return lines.join('\n');
}
