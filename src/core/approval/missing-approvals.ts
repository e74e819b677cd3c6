import type { ApprovalResult, RoleEvaluation } from './approval-result.js';

function missingRoles(result: Pick<ApprovalResult, 'grants' | 'rulesChange'>): RoleEvaluation[] {
  const roles = result.grants.flatMap((g) => g.roles.filter((r) => r.status === 'missing'));
  if (result.rulesChange?.status === 'missing') roles.push(result.rulesChange);
  return roles;
}

/** How many role approvals are still missing (what a check run's title counts). */
export function countMissingApprovals(result: Pick<ApprovalResult, 'grants' | 'rulesChange'>): number {
  return missingRoles(result).length;
}

/** Everyone whose approval would fill a missing role, each once, in order of first appearance. */
export function findApproversToRequest(result: Pick<ApprovalResult, 'grants' | 'rulesChange'>): string[] {
  return [...new Set(missingRoles(result).flatMap((r) => r.candidates))];
}
