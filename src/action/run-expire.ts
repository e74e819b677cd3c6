import { createUsageReader } from '../adapters/create-usage-reader.js';
import { GitHubLifecycle } from '../adapters/github/lifecycle-github.js';
import { openCheckout } from '../adapters/git/open-checkout.js';
import { renderExpireText } from '../render/expire-text.js';
import { GitDecisionNotes } from '../adapters/git/notes.js';
import { breakGlassFromCheckout } from '../adapters/break-glass-evidence.js';
import { GitHubMergedPullRequests } from '../adapters/github/merged-pull-requests.js';

/** Who the decision notes the Action writes are by. */
const BOT_IDENTITY = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };
import { expireAccess, type ExpireReport } from '../usecases/expire.js';
import { recordExpiry } from '../usecases/record-expiry.js';
import type { ActionReport, OperationRow } from './action-report.js';
import { systemsOf, type ActionInputs } from './inputs.js';
import type { ActionDeps } from './run.js';
import { notified, runNotifier } from './run-notifications.js';

/**
 * `command: expire` (a scheduled workflow): removes lapsed access, then pushes the revocation branch and
 * opens or updates the one revocation pull request, posts expiry notices and manual-provisioning
 * issues. With `dry-run`, it reports what it would do and changes nothing.
 */
export async function runExpire(inputs: ActionInputs, deps: ActionDeps): Promise<ActionReport> {
  const { env } = deps;
  if (!inputs.githubToken) throw new Error('input "github-token" is empty: expire needs it to open the revocation pull request (contents, pull-requests and issues: write)');
  if (!env.repository) throw new Error('GITHUB_REPOSITORY is not set: expire needs to know which repository to open the pull request on');
  const checkout = await openCheckout(env.workspace, inputs.dir);
  if (!checkout.git) throw new Error(`${env.workspace} is not a git checkout: run actions/checkout before grantops`);
  const github = GitHubLifecycle.fromToken({ token: inputs.githubToken, repository: env.repository, ...(env.apiUrl ? { baseUrl: env.apiUrl } : {}) });
  const now = deps.now();
  // Break-glass grants: the merged pull requests' reviews are read from GitHub; a ratification found is
  // recorded as a decision note (pushed to origin) unless this is a dry run.
  const breakGlass = breakGlassFromCheckout(checkout.root, {
    now,
    pulls: new GitHubMergedPullRequests({ token: inputs.githubToken, repository: env.repository, ...(env.apiUrl ? { baseUrl: env.apiUrl } : {}) }),
    ...(inputs.dryRun ? {} : { record: { notes: new GitDecisionNotes(checkout.root, { identity: BOT_IDENTITY }), remote: 'origin' } }),
  });
  const report = await expireAccess({
    root: checkout.root,
    dir: checkout.dir,
    snapshot: checkout.snapshot,
    provider: deps.createProvider(inputs, env),
    now,
    git: checkout.git,
    breakGlass,
    baseBranch: (await checkout.git.currentBranch()) ?? env.vars.GITHUB_REF_NAME,
    github,
    // Usage facts let a new expiry notice mark an unused grant (the file provider's state carries its own).
    usage: createUsageReader(inputs.provider, env.vars),
    dryRun: inputs.dryRun,
    ...systemsOf(inputs),
    ...runNotifier(inputs, deps, checkout.root),
  });
  const notes = renderExpireText(report).split('\n');
  if (deps.recordExpiry && report.results.length > 0) {
    try {
      notes.push(...(await deps.recordExpiry({ workspace: checkout.root, dir: checkout.dir, report, at: deps.now(), ...(inputs.notesKey === undefined ? {} : { key: inputs.notesKey }) })));
    } catch (error) {
      return { command: 'expire', dryRun: inputs.dryRun, rows: rowsOf(report), diagnostics: [], notes, ok: false, failure: `the decision record could not be written: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  // The lapsed-grant warnings are what this run deals with; the rest are worth an annotation.
  const diagnostics = report.diagnostics.filter((d) => d.rule !== 'grant/lapsed');
  return { command: 'expire', dryRun: inputs.dryRun, rows: rowsOf(report), diagnostics, notes, ok: report.ok, ...notified(report.notifications) };
}

function rowsOf(report: ExpireReport): OperationRow[] {
  const results = new Map(report.results.map((r) => [r.operation, r]));
  const rows: OperationRow[] = [
    ...report.operations.map((operation): OperationRow => {
      const result = results.get(operation);
      if (!result) return { operation, outcome: 'planned' };
      return { operation, outcome: result.status === 'done' ? 'applied' : 'failed', ...(result.error ? { error: result.error } : {}) };
    }),
    ...report.manual.flatMap((m) => m.change.operations.map((operation): OperationRow => ({ operation, outcome: 'manual' }))),
  ];
  return rows;
}

/** What an expire run hands the decision recorder. */
export interface ExpiredRun {
  workspace: string;
  dir: string;
  report: ExpireReport;
  at: Date;
  /** Seals the record (docs/decisions/0023). */
  key?: string;
}

/** Returns one line per record written; throws when the decision could not be recorded. */
export type ExpiryRecorder = (run: ExpiredRun) => Promise<string[]>;

/** The recorder `index.ts` gives the Action: an append-only git note on the expired commit, pushed to origin. */
export function gitExpiryRecorder(): ExpiryRecorder {
  return async ({ workspace, dir, report, at, key }) => {
    const notes = new GitDecisionNotes(workspace, { identity: BOT_IDENTITY });
    const recorded = await recordExpiry(notes, report, { dir, at, remote: 'origin', ...(key === undefined ? {} : { key }) });
    return recorded ? [`Decision recorded on ${recorded.record.commit.slice(0, 7)} (refs/notes/grantops): ${recorded.record.grants.length} expired grant(s), ${recorded.record.operations.length} IAM operation(s).`] : [];
  };
}
