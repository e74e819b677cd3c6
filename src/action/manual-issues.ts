import { GitHubLifecycle } from '../adapters/github/lifecycle-github.js';
import { loadAccessRepo } from '../core/load-access-repo.js';
import type { IamOperation } from '../core/plan/iam-operation.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import { openManualIssues } from '../usecases/open-manual-issues.js';
import type { ActionInputs } from './inputs.js';
import type { ActionDeps } from './run.js';

/**
 * After apply: the plan's `provision: manual` steps become one issue per pending grant or revocation,
 * assigned to the resource's owners (never a second for the same change). Returns lines for the summary.
 */
export async function openManualIssuesAfterApply(inputs: ActionInputs, deps: ActionDeps, snapshot: RepoSnapshot, manual: readonly IamOperation[]): Promise<string[]> {
  if (manual.length === 0 || inputs.dryRun || !inputs.githubToken || !deps.env.repository) return [];
  const github = GitHubLifecycle.fromToken({ token: inputs.githubToken, repository: deps.env.repository, ...(deps.env.apiUrl ? { baseUrl: deps.env.apiUrl } : {}) });
  const { repo } = loadAccessRepo(snapshot, deps.now());
  const reports = await openManualIssues(github, repo, manual, false);
  return reports.map((r) => {
    const issue = r.outcome?.issue;
    const what = `${r.change.kind} of ${r.change.resource} for ${r.change.operations[0]!.principal}`;
    return issue ? `Manual ${what}: issue #${issue.number} ${r.outcome!.status === 'opened' ? 'opened' : 'already exists'} (${issue.url})` : `Manual ${what}: carry it out by hand`;
  });
}
