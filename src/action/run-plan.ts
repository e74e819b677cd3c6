import { readFile } from 'node:fs/promises';
import { listChangedPaths } from '../adapters/git/list-changed-paths.js';
import { scopeProblemsToChange } from '../core/plan/scope-to-change.js';
import { planAccess, planAndNotify, type PlanAccessReport } from '../usecases/plan.js';
import { notified, runNotifier } from './run-notifications.js';
import type { ActionReport, OperationRow } from './action-report.js';
import { systemsOf, type ActionInputs } from './inputs.js';
import type { ActionDeps } from './run.js';

export function plannedRows(planned: PlanAccessReport): OperationRow[] {
  return [
    ...planned.plan.operations.map((operation): OperationRow => ({ operation, outcome: 'planned' })),
    ...planned.plan.manual.map((operation): OperationRow => ({ operation, outcome: 'manual' })),
  ];
}

/** The base commit a `pull_request` run is judged against, from the event payload. */
async function readPullRequestBase(eventPath: string | undefined): Promise<string> {
  if (!eventPath) throw new Error('GITHUB_EVENT_PATH is not set: cannot tell which base branch the pull request would merge into');
  const payload = JSON.parse(await readFile(eventPath, 'utf8')) as { pull_request?: { base?: { sha?: string } } };
  const base = payload.pull_request?.base?.sha;
  if (!base) throw new Error('the pull_request event names no base commit');
  return base;
}

/**
 * `plan`: what applying the checked-out tree would do in IAM, per system, with the quota pre-flight and
 * the missing-entity checks (decision 0028). On `pull_request` the checkout is the merge the pull request
 * would make, so this is what merging would do; an error in a file the pull request changes fails the
 * run with an annotation on that file, and one that was already on the base branch is a warning.
 */
export async function runPlan(inputs: ActionInputs, deps: ActionDeps): Promise<ActionReport> {
  const { env } = deps;
  const options = {
    root: env.workspace,
    dir: inputs.dir,
    provider: deps.createProvider(inputs, env),
    history: deps.createGrantHistory(env.workspace),
    now: deps.now(),
    ...systemsOf(inputs),
  };
  // A pull request's plan is what merging would do, not what the account is: it tells nobody of drift.
  const planned =
    env.eventName === 'pull_request'
      ? await planAccess(options)
      : await planAndNotify({ ...options, ...runNotifier(inputs, deps, env.workspace), commit: await deps.createHistory(env.workspace).readHeadCommit() });
  let { diagnostics, withheld } = planned;
  const notes: string[] = [];
  if (env.eventName === 'pull_request') {
    const base = await readPullRequestBase(env.eventPath);
    const changed = (await listChangedPaths(env.workspace, base, 'HEAD', { dir: inputs.dir, since: 'merge-base' })).map((c) => c.path);
    ({ diagnostics, withheld } = scopeProblemsToChange(inputs.dir, changed, diagnostics, withheld));
    notes.push(`What merging this pull request would do in IAM, read with the plan role; nothing was changed.`);
  }
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return { command: 'plan', dryRun: inputs.dryRun, rows: plannedRows(planned), diagnostics, withheld, notes, ok, ...notified(planned.notifications) };
}
