import type { ApprovalInput } from './approval-input.js';
import type { ApprovalResult } from './approval-result.js';

export type { ApprovalInput, ChangedFile, EscalateSensitivity, FileContent, SensitivityEscalation } from './approval-input.js';
export type * from './approval-result.js';

/**
 * DESIGN §3: judges a pull request against the rules of its base. Pure and total: never throws; a rule
 * that fails counts as an error (fail closed).
 */
export function evaluateApproval(input: ApprovalInput): ApprovalResult {
  const error = { file: input.rulesAtBase.dir, line: 0, column: 0, rule: 'approval/not-implemented', message: 'the approval evaluator is being built', severity: 'error' as const };
  return { status: 'invalid', approved: false, touchesAccess: true, grants: [], errors: [error], warnings: [], approvals: [], ignoredReviews: [], why: error.message };
}
