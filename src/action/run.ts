import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { normalizeDir } from '../adapters/git/read-tree-at-ref.js';
import { createIamProvider } from '../adapters/create-iam-provider.js';
import { GitHubCommitOrigins, type CommitOriginsOptions } from '../adapters/github/commit-origins.js';
import { GitBranchHistory } from '../adapters/git/branch-history.js';
import { GitGrantHistory } from '../adapters/git/grant-history.js';
import { describeOperation } from '../core/plan/iam-operation.js';
import { DEFAULT_CHECK_NAME } from '../core/provenance/evaluate-branch-provenance.js';
import { NULL_SHA } from '../core/provenance/push-snapshot.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import type { BranchHistory, CommitOrigins, DecisionNoteReader, GrantHistory, IamProvider, Notifier } from '../ports.js';
import { renderActionSummary } from '../render/action-summary.js';
import { applyAccess } from '../usecases/apply.js';
import { confirmBranchProvenance, type BranchFacts } from '../usecases/confirm-branch-provenance.js';
import { planAccess } from '../usecases/plan.js';
import { plannedRows, runPlan } from './run-plan.js';
import { notified, runNotifier } from './run-notifications.js';
import { createRunNotifier } from '../adapters/notify/create-notifier.js';
import { failedDeliveries } from '../core/notify/notification-report.js';
import { renderNotificationLines } from '../render/notification-report.js';
import { recordPushDecisions } from '../usecases/record-push-decisions.js';
import { LocalGitRefReader } from '../adapters/git/git-ref-reader.js';
import { GitDecisionNotes } from '../adapters/git/notes.js';
import { GitHubMergedPullRequests } from '../adapters/github/merged-pull-requests.js';
import { breakGlassFromCheckout } from '../adapters/break-glass-evidence.js';
import { dropUnratifiedGrants } from '../usecases/judge-break-glass-grants.js';
import type { OperationResult } from '../core/plan/iam-operation.js';
import { countOutcomes, type ActionReport, type OperationRow } from './action-report.js';
import { openManualIssuesAfterApply } from './manual-issues.js';
import { runExpire, type ExpiryRecorder } from './run-expire.js';
import { envInputReader, parseActionInputs, systemsOf, type ActionCommand, type ActionInputs } from './inputs.js';

/** Where an annotation points; `@actions/core`'s AnnotationProperties, narrowed to what grantops uses. */
export interface AnnotationAt {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

/** What the Action writes to the workflow run; `@actions/core` in production, a recorder in tests. */
export interface ActionIo {
  info(message: string): void;
  warning(message: string, at?: AnnotationAt): void;
  error(message: string, at?: AnnotationAt): void;
  setOutput(name: string, value: string | number): void;
  writeSummary(markdown: string): Promise<void>;
  setFailed(message: string): void;
}

/** The parts of the runner's environment the Action reads. */
export interface ActionEnv {
  /** The checked-out repository (GITHUB_WORKSPACE). */
  workspace: string;
  eventName?: string;
  /** The ref the run is for (GITHUB_REF), e.g. `refs/heads/main`: the branch a scheduled run applies. */
  ref?: string;
  /** The webhook payload that triggered the workflow, as a file (GITHUB_EVENT_PATH). */
  eventPath?: string;
  /** `owner/name` (GITHUB_REPOSITORY). */
  repository?: string;
  apiUrl?: string;
  /** Everything else, for the AWS SDK's credential chain. */
  vars: Readonly<Record<string, string | undefined>>;
}

export interface ActionDeps {
  readInputs(): ActionInputs;
  io: ActionIo;
  env: ActionEnv;
  now(): Date;
  createProvider(inputs: ActionInputs, env: ActionEnv): IamProvider;
  createHistory(workspace: string): BranchHistory;
  /** The branch's history as plan reads it: who ever held a grant (the same reader the CLI uses). */
  createGrantHistory(workspace: string): GrantHistory;
  createOrigins(options: CommitOriginsOptions): CommitOrigins;
  /** The decision notes provenance reads (fetched from `origin` first, when the checkout has one). */
  createNotes(workspace: string): DecisionNoteReader;
  /**
   * Records the decision notes of an apply run (refs/notes/grantops, pushed to origin). It writes to the
   * repository, so it is a capability the entry point grants (`index.ts`), not a default of `run()`.
   */
  recordDecisions?: DecisionRecorder;
  /** Records each expire run that removed access as a decision note; absent in tests that do not look. */
  recordExpiry?: ExpiryRecorder;
  /** Tells people through the channels of grantops.yaml, remembering deliveries in the workspace's git notes. */
  createNotifier(workspace: string, env: ActionEnv): Notifier;
}

/** What an apply run hands the decision recorder. */
export interface AppliedPush {
  workspace: string;
  dir: string;
  /** `owner/name`. */
  repository: string;
  /** The commit the run applied. */
  after: string;
  /** The merged pull requests GitHub vouched for in this run (the ones a note already confirmed are recorded). */
  pullRequests: number[];
  results: OperationResult[];
  token: string;
  apiUrl?: string;
  at: Date;
  /** Seals the records (docs/decisions/0023). */
  key?: string;
}

/** Returns one line per record written; throws when a decision could not be recorded. */
export type DecisionRecorder = (push: AppliedPush) => Promise<string[]>;

const BOT_IDENTITY = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

/** The recorder `index.ts` gives the Action: git notes in the workspace, pull requests from GitHub. */
export function gitDecisionRecorder(): DecisionRecorder {
  return async (push) => {
    const records = await recordPushDecisions(
      {
        refs: new LocalGitRefReader(push.workspace),
        notes: new GitDecisionNotes(push.workspace, { identity: BOT_IDENTITY }),
        pulls: new GitHubMergedPullRequests({ token: push.token, repository: push.repository, ...(push.apiUrl ? { baseUrl: push.apiUrl } : {}) }),
      },
      { dir: push.dir, after: push.after, pullRequests: push.pullRequests, results: push.results, at: push.at, remote: 'origin', ...(push.key === undefined ? {} : { key: push.key }) },
    );
    return records.map((r) => `Decision recorded on ${r.commit.slice(0, 7)} (refs/notes/grantops)${r.pullRequest ? ` for pull request #${r.pullRequest.number}` : ''}: ${r.grants.length} grant change(s), ${r.operations.length} IAM operation(s).`);
  };
}

export function readActionEnv(vars: NodeJS.ProcessEnv = process.env): ActionEnv {
  return {
    workspace: vars.GITHUB_WORKSPACE || process.cwd(),
    eventName: vars.GITHUB_EVENT_NAME,
    ref: vars.GITHUB_REF,
    eventPath: vars.GITHUB_EVENT_PATH,
    repository: vars.GITHUB_REPOSITORY,
    apiUrl: vars.GITHUB_API_URL,
    vars,
  };
}

export function coreIo(): ActionIo {
  return {
    info: (message) => core.info(message),
    warning: (message, at) => core.warning(message, at),
    error: (message, at) => core.error(message, at),
    setOutput: (name, value) => core.setOutput(name, value),
    writeSummary: async (markdown) => {
      // Outside a workflow run there is no summary file; the log still gets the table.
      if (!process.env.GITHUB_STEP_SUMMARY) core.info(markdown);
      else await core.summary.addRaw(markdown, true).write();
    },
    setFailed: (message) => core.setFailed(message),
  };
}

export function createProvider(inputs: ActionInputs, env: ActionEnv): IamProvider {
  return createIamProvider({ provider: inputs.provider, state: inputs.state, cwd: env.workspace, dir: inputs.dir, systems: inputs.system ? [inputs.system] : [], env: env.vars });
}

export function defaultDeps(): ActionDeps {
  return {
    readInputs: () => parseActionInputs(envInputReader(process.env)),
    io: coreIo(),
    env: readActionEnv(),
    now: () => new Date(),
    createProvider,
    createHistory: (workspace) => new GitBranchHistory(workspace),
    createGrantHistory: (workspace) => new GitGrantHistory(workspace),
    createOrigins: (options) => new GitHubCommitOrigins(options),
    createNotes: (workspace) => new GitDecisionNotes(workspace, { identity: BOT_IDENTITY }),
    createNotifier: (workspace, env) => createRunNotifier({ root: workspace, env: env.vars, identity: BOT_IDENTITY }),
  };
}

type CommandHandler = (inputs: ActionInputs, deps: ActionDeps) => Promise<ActionReport>;

/**
 * What each command does in the Action. `expire` and `audit` arrive with their use cases; until then
 * they are accepted inputs that fail clearly, and wiring one is adding its handler here.
 */
const COMMANDS: Record<ActionCommand, CommandHandler | undefined> = {
  plan: runPlan,
  apply: runApply,
  expire: runExpire,
  audit: undefined,
};

/** The Action: inputs parsed once, one command run, its report published. Never throws. */
export async function run(overrides: Partial<ActionDeps> = {}): Promise<ActionReport> {
  const deps: ActionDeps = { ...defaultDeps(), ...overrides };
  let report: ActionReport;
  let command = 'run';
  try {
    const inputs = deps.readInputs();
    command = inputs.command;
    const handler = COMMANDS[inputs.command];
    report = handler
      ? await handler(inputs, deps)
      : failed(inputs.command, inputs.dryRun, `command "${inputs.command}" is not available in this version of the grantops Action (available: ${availableCommands().join(', ')})`);
  } catch (error) {
    report = failed(command, false, error instanceof Error ? error.message : String(error));
  }
  await publish(report, deps.io);
  return report;
}

export function availableCommands(): ActionCommand[] {
  return (Object.keys(COMMANDS) as ActionCommand[]).filter((c) => COMMANDS[c] !== undefined);
}

function failed(command: string, dryRun: boolean, failure: string): ActionReport {
  return { command: command as ActionCommand, dryRun, rows: [], diagnostics: [], notes: [], failure, ok: false };
}

interface PushEventPayload {
  ref?: string;
  before?: string;
  after?: string;
  deleted?: boolean;
  repository?: { full_name?: string };
}

interface PushFacts {
  repository: string;
  branch: string;
  after: string;
}

/** The push that triggered the run, or a reason it cannot be read. */
async function readPushFacts(env: ActionEnv): Promise<PushFacts> {
  if (!env.eventPath) throw new Error('GITHUB_EVENT_PATH is not set: cannot read the push to confirm where its grants came from');
  const payload = JSON.parse(await readFile(env.eventPath, 'utf8')) as PushEventPayload;
  const repository = payload.repository?.full_name ?? env.repository;
  if (!payload.ref?.startsWith('refs/heads/')) throw new Error(`apply runs on pushes to a branch; this push is to "${payload.ref ?? 'nothing'}"`);
  if (payload.deleted || !payload.after || payload.after === NULL_SHA) throw new Error('the push deleted the branch: there is nothing to apply');
  if (!repository) throw new Error('the push names no repository');
  return { repository, branch: payload.ref.slice('refs/heads/'.length), after: payload.after };
}

/**
 * The branch the run applies and the commit it is at. On a push, the pushed commit, which must be what is
 * checked out; on any other trigger (schedule, manual dispatch), the checkout's HEAD on the run's branch.
 */
async function readBranchFacts(env: ActionEnv, history: BranchHistory): Promise<BranchFacts> {
  const head = await history.readHeadCommit();
  if (env.eventName === 'push') {
    const push = await readPushFacts(env);
    if (head !== push.after) {
      throw new Error(`the checkout is at ${head} but the push ended at ${push.after}: check out the pushed commit so what is applied is what was confirmed`);
    }
    return { repository: push.repository, branch: push.branch, head };
  }
  if (!env.ref?.startsWith('refs/heads/')) {
    throw new Error(`apply runs on a branch; this run is for "${env.ref ?? 'no ref'}" (GITHUB_REF): cannot tell which branch's pull requests may vouch for its access files`);
  }
  if (!env.repository) throw new Error('GITHUB_REPOSITORY is not set: cannot ask GitHub where the access files came from');
  return { repository: env.repository, branch: env.ref.slice('refs/heads/'.length), head };
}

async function runApply(inputs: ActionInputs, deps: ActionDeps): Promise<ActionReport> {
  const { env } = deps;
  const history = deps.createHistory(env.workspace);
  const notes: string[] = [];

  // Every run — push, schedule or dispatch — applies only access files whose last change is confirmed:
  // a change withheld once stays withheld until it is reverted or replaced through an approved pull request.
  const branch = await readBranchFacts(env, history);
  const token = inputs.githubToken;
  if (!token) throw new Error('input "github-token" is empty: it is needed to confirm that each access file came from an approved pull request');
  const appId = inputs.appId;
  if (appId === undefined) throw new Error('input "app-id" is empty: give the grantops GitHub App\'s id, so that only its own "grantops" check confirms a pull request (a check of that name from any other app or workflow does not)');
  const decisionNotes = deps.createNotes(env.workspace);
  // The notes earlier runs recorded are the memory of what was confirmed; a checkout does not bring them.
  if (inputs.notesKey !== undefined && (await history.hasRemote('origin'))) await decisionNotes.fetchNotes('origin');
  const confirmed = await confirmBranchProvenance(
    branch,
    // The committed objects of the head, as check judged them: never the working tree, which attributes
    // files (filters, eol, working-tree-encoding) can make differ from what was approved.
    await new LocalGitRefReader(env.workspace).readTree(branch.head, normalizeDir(inputs.dir)),
    {
      history,
      notes: decisionNotes,
      origins: () => deps.createOrigins({ token, repository: branch.repository, baseUrl: env.apiUrl, checkName: DEFAULT_CHECK_NAME }),
    },
    { dir: inputs.dir, checkName: DEFAULT_CHECK_NAME, appId, ...(inputs.notesKey === undefined ? {} : { noteKey: inputs.notesKey }) },
  );
  const provenance: ActionReport['provenance'] = confirmed.report;
  if (inputs.notesKey === undefined) {
    notes.push('Decision notes were not consulted: without the "notes-key" input nothing proves who wrote them, so every commit was confirmed with GitHub, and this run\'s notes are written unsealed.');
  }
  // A break-glass grant not ratified in time is no longer desired, even before its revocation is merged.
  const now = deps.now();
  const judged = await dropUnratifiedGrants(
    confirmed.snapshot,
    now,
    breakGlassFromCheckout(env.workspace, { now, pulls: new GitHubMergedPullRequests({ token, repository: branch.repository, ...(env.apiUrl ? { baseUrl: env.apiUrl } : {}) }) }),
  );
  const snapshot: RepoSnapshot = judged.snapshot;
  notes.push(...judged.notes);

  const options = {
    root: env.workspace,
    dir: inputs.dir,
    provider: deps.createProvider(inputs, env),
    now,
    history: deps.createGrantHistory(env.workspace),
    snapshot,
    ...systemsOf(inputs),
  };
  const withheldCleanly = provenance.withheld.length === 0;

  if (inputs.dryRun) {
    const planned = await planAccess(options);
    return { command: 'apply', dryRun: true, rows: plannedRows(planned), diagnostics: planned.diagnostics, withheld: planned.withheld, provenance, notes, ok: planned.ok && withheldCleanly };
  }

  const applied = await applyAccess({ ...options, ...runNotifier(inputs, deps, env.workspace), commit: branch.head });
  const rows: OperationRow[] = [
    ...applied.results.map((result): OperationRow => ({
      operation: result.operation,
      outcome: result.status === 'done' ? 'applied' : 'failed',
      ...(result.error ? { error: result.error } : {}),
    })),
    ...applied.plan.manual.map((operation): OperationRow => ({ operation, outcome: 'manual' })),
  ];
  if (applied.plan.systems.length === 0 && applied.diagnostics.some((d) => d.severity === 'error')) notes.push('Nothing was applied: the rules cannot be read (see Problems).');
  else notes.push(...(await openManualIssuesAfterApply(inputs, deps, snapshot, applied.plan.manual)));
  if (deps.recordDecisions) {
    // The decision goes into git even when an operation failed: the record says which, and a re-run appends.
    try {
      notes.push(
        ...(await deps.recordDecisions({
          workspace: env.workspace,
          dir: inputs.dir,
          repository: branch.repository,
          after: branch.head,
          pullRequests: [...new Set(provenance.files.flatMap((f) => f.vouchers.map((v) => v.pullRequest)))],
          results: applied.results,
          token,
          ...(env.apiUrl ? { apiUrl: env.apiUrl } : {}),
          at: deps.now(),
          ...(inputs.notesKey === undefined ? {} : { key: inputs.notesKey }),
        })),
      );
    } catch (error) {
      return { command: 'apply', dryRun: false, rows, diagnostics: applied.diagnostics, withheld: applied.withheld, provenance, notes, ok: false, failure: `the decision record could not be written: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
  return { command: 'apply', dryRun: false, rows, diagnostics: applied.diagnostics, withheld: applied.withheld, retries: applied.retries, provenance, notes, ok: applied.ok && withheldCleanly, ...notified(applied.notifications) };
}

/** Annotations, outputs, the job summary and the run's verdict. */
export async function publish(report: ActionReport, io: ActionIo): Promise<void> {
  for (const d of report.diagnostics) {
    const at: AnnotationAt = { title: `grantops: ${d.rule}`, file: d.file, ...(d.line > 0 ? { startLine: d.line, startColumn: d.column } : {}) };
    if (d.severity === 'error') io.error(d.message, at);
    else io.warning(d.message, at);
  }
  for (const row of report.rows) {
    const line = `${row.outcome} ${describeOperation(row.operation)}${row.error ? `: ${row.error}` : ''}`;
    if (row.outcome !== 'failed') {
      io.info(line);
      continue;
    }
    io.error(`${describeOperation(row.operation)} failed: ${row.error ?? 'unknown error'}`, {
      title: 'grantops: operation failed',
      ...(row.operation.grant ? { file: row.operation.grant, startLine: 1 } : {}),
    });
  }
  for (const rejection of report.provenance?.rejections ?? []) {
    io.error(rejection.message, { title: 'grantops: not from an approved pull request', file: rejection.path, startLine: 1 });
  }
  for (const problem of report.provenance?.untrustedNotes ?? []) {
    io.warning(`${problem.message}; commit ${problem.commit.slice(0, 7)} was confirmed with GitHub instead`, { title: 'grantops: untrusted decision note' });
  }
  // A delivery that failed is a warning: the job did its work, and the summary says who was not told.
  for (const line of renderNotificationLines(report.notifications)) {
    if (line.startsWith('notified') || line.startsWith('not notified again')) io.info(line);
    else io.warning(line, { title: 'grantops: notification not delivered' });
  }

  const counts = countOutcomes(report);
  io.setOutput('operations', counts.operations);
  io.setOutput('applied', counts.applied);
  io.setOutput('failed', counts.failed);
  io.setOutput('withheld', counts.withheld);
  io.setOutput('withheld-grants', counts.withheldGrants);
  io.setOutput('retries', counts.retries);
  io.setOutput('manual', counts.manual);
  // Set when the run had anything to tell; empty otherwise, as for any output not set.
  if (report.notifications) io.setOutput('notifications-failed', failedDeliveries(report.notifications).length);
  await io.writeSummary(renderActionSummary(report));

  if (!report.ok) io.setFailed(verdict(report));
}

function verdict(report: ActionReport): string {
  if (report.failure) return report.failure;
  const counts = countOutcomes(report);
  const reasons: string[] = [];
  if (counts.withheld > 0) {
    const named = (report.provenance?.rejections ?? []).map((r) => `${r.subject} (commit ${r.commit.slice(0, 7)})`);
    reasons.push(`${counts.withheld} change${counts.withheld === 1 ? '' : 's'} did not arrive through an approved pull request and ${counts.withheld === 1 ? 'was' : 'were'} not applied: ${[...new Set(named)].join(', ')}`);
  }
  if (counts.failed > 0) reasons.push(`${counts.failed} operation${counts.failed === 1 ? '' : 's'} failed`);
  if (counts.withheldGrants > 0) {
    const files = (report.withheld ?? []).map((w) => w.file);
    reasons.push(`${counts.withheldGrants} grant${counts.withheldGrants === 1 ? ' was' : 's were'} withheld by problems (${files.join(', ')}); everything else was ${report.command === 'plan' || report.dryRun ? 'planned' : 'applied'}`);
  } else if (report.diagnostics.some((d) => d.severity === 'error')) reasons.push('the access directory or the plan has errors');
  return reasons.length > 0 ? `grantops ${report.command}: ${reasons.join('; ')}` : `grantops ${report.command} failed`;
}
