import type { ApplicationFunctionOptions, Context, Probot } from 'probot';
import type { GitHubClient } from './adapters/github/github-client.js';
import { GitHubPullRequestPublisher } from './adapters/github/github-pull-request-publisher.js';
import { GitHubPullRequestReader } from './adapters/github/github-pull-request-reader.js';
import type { Notifier, PullRequestPublisher, PullRequestReader, RepoRef } from './ports.js';
import { followUpBreakGlass } from './usecases/follow-up-break-glass.js';
import { ChannelNotifier } from './adapters/notify/channel-notifier.js';
import { MemoryDeliveryLedger } from './adapters/notify/memory-ledger.js';
import { renderNotificationLines } from './render/notification-report.js';
import { CHECK_NAME } from './render/approval-check-run.js';
import { createIamProvider } from './adapters/create-iam-provider.js';
import { EvaluationMemory } from './usecases/evaluation-memory.js';
import { grantRiskSource, type GrantRiskSource } from './usecases/grant-risk.js';
import {
  evaluatePullRequest,
  evaluateRerequestedCheck,
  findMergeGroupPullNumber,
  publishUnjudgeable,
  type EvaluatePullRequestReport,
  type EvaluatePullRequestRequest,
} from './usecases/evaluate-pull-request.js';

/** What the app needs from outside, injectable so the router is tested without GitHub (as probot/settings does). */
export interface AppDeps {
  /** The access directory, repository-relative. */
  dir: string;
  now: () => Date;
  memory: EvaluationMemory;
  connect: (octokit: GitHubClient) => { reader: PullRequestReader; publisher: PullRequestPublisher };
  /** Risk of the requested grants (comment, and escalation under a `risk:` block); absent: none shown. */
  risk?: GrantRiskSource;
  /** The app's own id (APP_ID): only its own recorded fingerprints carry approvals over a rebase. */
  appId?: number;
  /** Tells approvers and requesters (and owners of a break-glass use) through the channels of grantops.yaml at the base; absent: nobody is told. */
  notifier?: Notifier;
}

export function defaultDeps(env: NodeJS.ProcessEnv = process.env): AppDeps {
  return {
    dir: (env.GRANTOPS_ACCESS_DIR ?? '').replace(/^\.?\/+|\/+$/g, '') || 'access',
    now: () => new Date(),
    memory: new EvaluationMemory(),
    connect: (octokit) => ({ reader: new GitHubPullRequestReader(octokit), publisher: new GitHubPullRequestPublisher(octokit) }),
    ...riskFromEnv(env),
    ...(/^[1-9][0-9]*$/.test(env.APP_ID ?? '') && { appId: Number(env.APP_ID) }),
    // Channel secrets come from the app's environment; GRANTOPS_NOTIFY=off silences it. The app tells after
    // the check and the comment are written, inside the webhook's handling: a tighter retry budget than the
    // Action's (3 attempts of at most 2.5 s, ~8 s in all) keeps a channel that is down within GitHub's 10 s.
    ...(env.GRANTOPS_NOTIFY === 'off' ? {} : { notifier: new ChannelNotifier({ env, ledger: new MemoryDeliveryLedger(), attempts: 3, timeoutMs: 2_500, baseDelayMs: 250 }) }),
  };
}

/**
 * Risk is shown and applied for organisations whose grantops.yaml (at the base) has a `risk:` block;
 * GRANTOPS_RISK=off turns it off. GRANTOPS_IAM_PROVIDER (file | aws, with GRANTOPS_IAM_STATE for file)
 * lets managed-policy and group resources be scored from the account, not only inline policies.
 */
function riskFromEnv(env: NodeJS.ProcessEnv): Pick<AppDeps, 'risk'> {
  if (env.GRANTOPS_RISK === 'off') return {};
  const kind = env.GRANTOPS_IAM_PROVIDER === 'aws' || env.GRANTOPS_IAM_PROVIDER === 'file' ? env.GRANTOPS_IAM_PROVIDER : undefined;
  const provider = kind ? createIamProvider({ provider: kind, state: env.GRANTOPS_IAM_STATE ? [env.GRANTOPS_IAM_STATE] : [], cwd: process.cwd(), env }) : undefined;
  return { risk: grantRiskSource(provider) };
}

interface MergedPull {
  number: number;
  title: string;
  html_url: string;
  merged_at: string;
  head: { sha: string };
  base: { sha: string };
}
type RepositoryPayload = { owner: { login: string }; name: string };

/** The review events whose outcome can differ; a comment-only review changes no approval. */
function reviewCanChangeOutcome(action: string, state: string): boolean {
  return action === 'dismissed' || (action === 'submitted' && state.toLowerCase() !== 'commented');
}

/**
 * The GitHub App: every pull request event that can change who has approved is judged by
 * `evaluatePullRequest` against the rules at the base, and published as the `grantops` check.
 */
export default function grantopsApp(app: Probot, _options?: ApplicationFunctionOptions, deps: AppDeps = defaultDeps()): void {
  const judge = async (context: Context, request: Omit<EvaluatePullRequestRequest, 'dir' | 'now'>) => {
    const report = await evaluatePullRequest({ ...request, dir: deps.dir, now: deps.now() }, { ...deps.connect(context.octokit), memory: deps.memory, risk: deps.risk, appId: deps.appId, notifier: deps.notifier });
    logReport(context, report);
  };
  const repoOf = (repository: { owner: { login: string }; name: string }): RepoRef => ({ owner: repository.owner.login, repo: repository.name });

  app.on(['pull_request.opened', 'pull_request.reopened', 'pull_request.synchronize', 'pull_request.edited'], async (context) => {
    const { pull_request: pr, repository } = context.payload;
    if (pr.state !== 'open') return;
    const baseChanged = context.payload.action === 'edited' && context.payload.changes.base !== undefined;
    await judge(context, {
      subject: 'pull_request',
      target: { ...repoOf(repository), number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha },
      changedFileCount: pr.changed_files,
      htmlUrl: repository.html_url,
      cannotChangeOutcome: context.payload.action === 'edited' && !baseChanged,
    });
  });

  /** A merged pull request's break-glass grants: announced at the merge, ratified by later reviews. */
  const followUp = async (context: Context, pr: MergedPull, repository: RepositoryPayload, trigger: 'merged' | 'reviewed') => {
    const report = await followUpBreakGlass(
      {
        target: { ...repoOf(repository), number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha },
        dir: deps.dir,
        mergedAt: new Date(pr.merged_at),
        now: deps.now(),
        trigger,
        url: pr.html_url,
        title: pr.title,
      },
      { ...deps.connect(context.octokit), ...(deps.notifier && { notifier: deps.notifier }) },
    );
    if (report.ratifications.length > 0) {
      context.log.info({ event: context.name, ratifications: report.ratifications.map((r) => `${r.file}: ${r.status}`) }, `grantops: break-glass ${trigger}`);
    }
  };

  app.on('pull_request.closed', async (context) => {
    const { pull_request: pr, repository } = context.payload;
    if (pr.merged_at) await followUp(context, { ...pr, merged_at: pr.merged_at }, repository, 'merged');
  });

  app.on(['pull_request_review.submitted', 'pull_request_review.edited', 'pull_request_review.dismissed'], async (context) => {
    const { pull_request: pr, repository, review } = context.payload;
    // A review of a merged pull request can only ratify break-glass grants: nothing else is left to approve.
    if (pr.state !== 'open') {
      if (pr.merged_at && reviewCanChangeOutcome(context.payload.action, review.state)) await followUp(context, { ...pr, merged_at: pr.merged_at }, repository, 'reviewed');
      return;
    }
    await judge(context, {
      subject: 'pull_request',
      target: { ...repoOf(repository), number: pr.number, headSha: pr.head.sha, baseSha: pr.base.sha },
      htmlUrl: repository.html_url,
      cannotChangeOutcome: !reviewCanChangeOutcome(context.payload.action, review.state),
    });
  });

  app.on('merge_group.checks_requested', async (context) => {
    const { merge_group: group, repository } = context.payload;
    if (!repository) return;
    const number = findMergeGroupPullNumber(group.head_ref);
    if (number === undefined) {
      // Never an unconditional pass: a group grantops cannot relate to a pull request fails.
      const { publisher } = deps.connect(context.octokit);
      await publishUnjudgeable(publisher, repoOf(repository), group.head_sha, `the merge group's branch "${group.head_ref}" names no pull request.`);
      return;
    }
    await judge(context, {
      subject: 'merge_group',
      target: { ...repoOf(repository), number, headSha: group.head_sha, baseSha: group.base_sha },
      htmlUrl: repository.html_url,
    });
  });

  app.on('check_run.rerequested', async (context) => {
    const { check_run: run, repository } = context.payload;
    if (run.name !== CHECK_NAME) return;
    const report = await evaluateRerequestedCheck(
      {
        repo: repoOf(repository),
        headSha: run.head_sha,
        pullRequests: run.pull_requests.map((p) => ({ number: p.number, baseSha: p.base.sha })),
        ...(run.check_suite?.head_branch ? { headBranch: run.check_suite.head_branch } : {}),
        dir: deps.dir,
        now: deps.now(),
        htmlUrl: repository.html_url,
      },
      { ...deps.connect(context.octokit), memory: deps.memory, risk: deps.risk, appId: deps.appId, notifier: deps.notifier },
    );
    logReport(context, report);
  });
}

function logReport(context: Context, report: EvaluatePullRequestReport): void {
  for (const line of renderNotificationLines(report.notifications)) {
    if (line.startsWith('notification')) context.log.warn(`grantops: ${line}`);
    else context.log.info(`grantops: ${line}`);
  }
  context.log.info(
    { event: context.name, outcome: report.outcome, status: report.result?.status, requested: report.requestedReviewers },
    `grantops: ${report.outcome}${report.check ? ` (${report.check.title})` : ''}`,
  );
}
