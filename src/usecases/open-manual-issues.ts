import { isTeamRef } from '../core/approval/approver-pool.js';
import { buildManualIssue, groupManualChanges, MANUAL_ISSUE_LABEL, type ManualChange } from '../core/manual-issue.js';
import type { AccessRepo } from '../core/model.js';
import type { IamOperation } from '../core/plan/iam-operation.js';
import type { LifecycleGitHub } from '../ports.js';
import { openIssuesOnce, type IssueOutcome } from './open-issue-once.js';

export interface ManualIssueReport {
  change: ManualChange;
  owners: string[];
  /** Absent when there is no GitHub connection: the steps are printed instead. */
  outcome?: IssueOutcome;
}

/**
 * For `provision: manual` resources grantops never calls IAM: each pending grant or revocation becomes
 * one issue, assigned to the resource's owners, holding the exact steps; never a second for the same change.
 */
export async function openManualIssues(github: LifecycleGitHub | undefined, repo: AccessRepo, operations: readonly IamOperation[], dryRun: boolean): Promise<ManualIssueReport[]> {
  const changes = groupManualChanges(operations, (file) => repo.grants.get(file)?.value.expires);
  // Issues are assigned to people; a team among the owners is not an assignee.
  const reports = changes.map((change) => ({ change, owners: (repo.resources.get(change.resource)?.value.owners ?? []).filter((o) => !isTeamRef(o)) }));
  if (!github || reports.length === 0) return reports;
  const issues = reports.map((r) => buildManualIssue(r.change, r.owners));
  const outcomes = await openIssuesOnce(
    github,
    { name: MANUAL_ISSUE_LABEL, description: 'grantops: a grant or revocation a person carries out (provision: manual)' },
    issues,
    dryRun,
  );
  return reports.map((r, i) => ({ ...r, outcome: outcomes[i] }));
}
