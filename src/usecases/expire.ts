import { readAccessDir } from '../adapters/file/read-access-dir.js';
import { diagnostic, hasErrors, START, type Diagnostic } from '../core/diagnostic.js';
import { editGrantYaml } from '../core/edit-grant-yaml.js';
import type { ExpiringGrant } from '../core/expiry/find-expiring-grants.js';
import type { Revocation } from '../core/expiry/find-lapsed-grants.js';
import { lapsedAccessFiles, planExpiry, type ExpiryPlan } from '../core/expiry/plan-expiry.js';
import { renewalCommand, suggestedAccessMs } from '../core/expiry/renewal-command.js';
import { findExpireEvents } from '../core/notify/expire-events.js';
import type { NotificationReport } from '../core/notify/notification-report.js';
import type { NotificationEvent } from '../core/notify/notification-event.js';
import { loadAccessRepo } from '../core/load-access-repo.js';
import type { AccessRepo } from '../core/model.js';
import { isRemoval, type IamOperation, type OperationResult } from '../core/plan/iam-operation.js';
import { planIam } from '../core/plan/plan-iam.js';
import { isSystemProblem } from '../core/plan/access-plan.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import { buildRevocationPullRequest, REVOCATION_BRANCH } from '../core/revocation-pr.js';
import type { GrantUse } from '../core/usage/assess-grant-use.js';
import type { BranchCommit, BranchWriter, FileChange, IamProvider, IamUsageReader, LifecycleGitHub, Notifier } from '../ports.js';
import { applyOperations } from './apply.js';
import { closeExpiryNotices, type NoticeClosureReport } from './close-expiry-notices.js';
import { openManualIssues, type ManualIssueReport } from './open-manual-issues.js';
import { readSystems, selectSystems } from './plan.js';
import { postExpiryNotices, type ExpiryNoticeReport } from './post-expiry-notices.js';
import { readGrantUsage } from './read-grant-usage.js';
import type { BreakGlassJudgement, BreakGlassStanding } from './judge-break-glass-grants.js';
import { breakGlassNotRatifiedEvent } from '../core/break-glass/break-glass-events.js';

export interface ExpireOptions {
  /** The repository root and the access directory relative to it. */
  root: string;
  dir: string;
  provider: IamProvider;
  now: Date;
  /** Only these system ids; every system of grantops.yaml when absent. */
  systems?: readonly string[];
  /** The access directory as committed at the checkout's HEAD; read from `root`/`dir` when absent. */
  snapshot?: RepoSnapshot;
  /** Where the revocation is committed; absent outside a git repository. */
  git?: BranchWriter;
  /** The remote the branch is pushed to (default `origin`). */
  remote?: string;
  /** The pull request's base; the checked-out branch when absent. */
  baseBranch?: string;
  /** Pushes the branch, opens or updates the pull request, posts notices and manual-provisioning issues. */
  github?: LifecycleGitHub;
  /**
   * Adds usage facts to the account read-out, so a new expiry notice says when the grant is unused
   * (the `grant/unused` rule). Absent: notices say nothing about use.
   */
  usage?: IamUsageReader;
  /** Overrides `risk.unusedAfter` for that judgement (e.g. `45d`). */
  unusedAfter?: string;
  /**
   * Judges the branch's break-glass grants (judge-break-glass-grants.ts): one unratified past its window
   * is revoked now; one whose access lapsed while awaiting ratification is kept until the window closes.
   * Absent: break-glass grants are expired like any other.
   */
  breakGlass?: (repo: AccessRepo) => Promise<BreakGlassJudgement>;
  /** Computes everything, changes nothing: no IAM call, no commit, no push, nothing on GitHub, nobody notified. */
  dryRun: boolean;
  /** Told of access ending soon and access removed (absent: nobody is). */
  notifier?: Notifier;
  /** `owner/repo`, which keeps delivery keys of two repositories apart. */
  repository?: string;
}

export type PullRequestAction = 'opened' | 'updated' | 'unchanged' | 'closed';

export interface ExpireReport {
  expiry: ExpiryPlan;
  diagnostics: Diagnostic[];
  /** The plan's removals for lapsed grants: what was (or, in a dry run, would be) executed. */
  operations: IamOperation[];
  results: OperationResult[];
  manual: ManualIssueReport[];
  /** Revocations written to the branch (or that would be). */
  recorded: Revocation[];
  /** Revocations left for the next run: their IAM removal failed, or their system was not selected. */
  deferred: Revocation[];
  branch?: { name: string; base: string; commit?: BranchCommit; pushed: boolean };
  pullRequest?: { number: number; url: string; action: PullRequestAction };
  notices: ExpiryNoticeReport[];
  /** Expiry notices closed because their grant was renewed, revoked or deleted (or, in a dry run, that would be). */
  closedNotices: NoticeClosureReport[];
  notes: string[];
  /** Where each break-glass grant stands with its ratification (empty when none was judged). */
  breakGlass: BreakGlassStanding[];
  /** What became of the notifications (absent when nobody was to be told). */
  notifications?: NotificationReport;
  dryRun: boolean;
  ok: boolean;
}

const textOf = (content: Uint8Array | string) => (typeof content === 'string' ? content : Buffer.from(content).toString('utf8'));

/**
 * `grantops expire`: removes the access of lapsed grants through the same plan and apply path as
 * `grantops apply`, narrowed to those grants' removals (nothing else is touched), then records the
 * revocation on one branch and keeps one pull request for it. The access goes first: the pull request
 * records the revocation, it does not gate it.
 */
export async function expireAccess(options: ExpireOptions): Promise<ExpireReport> {
  const { now, dryRun } = options;
  const snapshot = options.snapshot ?? (await readAccessDir(options.root, options.dir));
  const { repo, diagnostics } = loadAccessRepo(snapshot, now);
  const judged = await judgeBreakGlass(options, repo);
  const expiry = planExpiry(repo, now, judged.standings);
  const report: ExpireReport = { expiry, diagnostics, operations: [], results: [], manual: [], recorded: [], deferred: [], notices: [], closedNotices: [], notes: [...judged.notes], breakGlass: judged.standings, dryRun, ok: false };
  if (!repo.org) {
    report.diagnostics = [...diagnostics, diagnostic(`${snapshot.dir}/grantops.yaml`, START, 'expire/no-org', 'grantops.yaml is missing or invalid: expire cannot tell the systems apart')];
    return report;
  }
  if (hasErrors(diagnostics)) {
    report.notes.push(`the access directory has errors (see grantops validate); expire went on, since removing lapsed access only ever takes access away`);
  }

  // 1. Remove lapsed access from IAM (or, for manual resources, ask the owners).
  const lapsed = lapsedAccessFiles(expiry);
  const systemOf = (r: Revocation) => repo.resources.get(r.resource)?.value.system;
  const { systems, problems } = selectSystems(repo, options.systems);
  report.diagnostics.push(...problems);
  const touched = systems.filter((s) => expiry.revocations.some((r) => r.accessLapsed && systemOf(r) === s.id));
  // Systems are read concurrently; one that cannot be read (or is another account) is withheld alone.
  const { accounts, problems: unreachable } = await readSystems(repo, touched, options.provider);
  // A grant revoked before its `expires` (break-glass not ratified) is no longer desired.
  const plan = planIam(withoutAccess(repo, expiry.revocations.filter((r) => r.accessLapsed).map((r) => r.file)), accounts, { now });
  const withheld = new Set([...touched.filter((s) => !accounts.has(s.id)).map((s) => s.id), ...(plan.withheldSystems ?? [])]);
  const ofLapsed = (op: IamOperation) => isRemoval(op) && op.grant !== null && lapsed.has(op.grant);
  report.operations = plan.operations.filter(ofLapsed);
  const planProblems = plan.problems.filter((d) => !(repo.grants.has(d.file) && !lapsed.has(d.file)));
  report.diagnostics.push(...unreachable, ...planProblems);
  if (hasErrors(planProblems.filter((d) => !isSystemProblem(d))) || hasErrors(problems)) {
    report.notes.push('nothing was removed: the plan has errors');
    report.deferred = expiry.revocations;
    return report;
  }
  report.results = dryRun ? [] : await applyOperations(options.provider, touched, report.operations);
  const failed = new Set(report.results.filter((r) => r.status === 'failed').map((r) => r.operation.grant));
  report.manual = await openManualIssues(options.github, repo, plan.manual.filter(ofLapsed), dryRun);

  const selected = new Set(systems.map((s) => s.id));
  for (const r of expiry.revocations) {
    const system = systemOf(r);
    const deferred = r.accessLapsed && (failed.has(r.file) || (system !== undefined && (!selected.has(system) || withheld.has(system))));
    (deferred ? report.deferred : report.recorded).push(r);
  }

  // 2. Record the revocation on its branch and keep one pull request for it; then warn, and close the
  // warnings that no longer hold.
  const org = repo.org.value;
  const accessLimitMs = (resource: string) => suggestedAccessMs(org, repo.resources.get(resource)?.value);
  try {
    await recordRevocation(options, repo, snapshot, report, accessLimitMs);
    report.notices = await postExpiryNotices(options.github, expiry.expiring, dryRun, {
      accessLimitMs,
      ...(options.usage ? { readUsage: (grants: readonly ExpiringGrant[]) => readNoticeUsage(options, repo, grants, report) } : {}),
    });
    report.closedNotices = await closeExpiryNotices(
      options.github,
      {
        grants: repo.grants,
        files: new Set(snapshot.files.map((f) => f.path)),
        revoked: new Set(report.recorded.map((r) => r.file)),
        ...(report.pullRequest ? { revocationPullRequest: `#${report.pullRequest.number}` } : {}),
      },
      dryRun,
    );
  } catch (error) {
    report.notes.push(`recording the revocation failed: ${error instanceof Error ? error.message : String(error)}`);
    await notifyExpire(options, repo, report, accessLimitMs);
    return report;
  }
  // A failed removal is a failed result; a grant of a system left out with --system is only deferred.
  report.ok = report.results.every((r) => r.status === 'done');
  await notifyExpire(options, repo, report, accessLimitMs);
  return report;
}

async function judgeBreakGlass(options: ExpireOptions, repo: AccessRepo): Promise<BreakGlassJudgement> {
  if (!options.breakGlass) return { standings: [], notes: [] };
  try {
    return await options.breakGlass(repo);
  } catch (error) {
    // Without a judgement nothing is revoked early; the access still ends at its `expires`, and the audit flags it.
    return { standings: [], notes: [`break-glass ratifications could not be judged, so none was revoked early: ${error instanceof Error ? error.message : String(error)}`] };
  }
}

/** The repository with these grants' access over: what the plan removes for them. */
function withoutAccess(repo: AccessRepo, files: readonly string[]): AccessRepo {
  const over = files.filter((f) => repo.grants.get(f)?.value.status === 'active');
  if (over.length === 0) return repo;
  const grants = new Map(repo.grants);
  for (const file of over) grants.set(file, { ...grants.get(file)!, value: { ...grants.get(file)!.value, status: 'expired' } });
  return { ...repo, grants };
}

/** "Break-glass not ratified", for each grant whose window closed without the approvals and whose revocation this run recorded. */
function findUnratifiedEvents(repo: AccessRepo, report: ExpireReport): NotificationEvent[] {
  const recorded = new Map(report.recorded.map((r) => [r.file, r]));
  return report.breakGlass
    .filter((s) => s.status === 'unratified' && recorded.has(s.file))
    .map((s) => breakGlassNotRatifiedEvent({ repo, at: new Date(report.expiry.now), pullRequest: { number: s.pullRequest ?? 0 } }, s, recorded.get(s.file)!.accessLapsed));
}

/** Tells what this run did, after it is done; a delivery problem lands in the report, never in `ok`. */
async function notifyExpire(options: ExpireOptions, repo: AccessRepo, report: ExpireReport, accessLimitMs: (resource: string) => number): Promise<void> {
  if (!options.notifier || options.dryRun) return;
  const noticeUrl = new Map(report.notices.flatMap((n) => (n.outcome?.issue ? [[n.grant.file, n.outcome.issue.url] as const] : [])));
  const events = [
    ...findExpireEvents(
    repo,
    {
      expiring: report.expiry.expiring.map((grant) => ({
        grant,
        renewal: renewalCommand(grant, accessLimitMs(grant.resource), grant.renewable ? 'renewal' : 'new'),
        ...(noticeUrl.has(grant.file) ? { noticeUrl: noticeUrl.get(grant.file)! } : {}),
      })),
      recorded: report.recorded,
      results: report.results,
      ...(report.pullRequest ? { revocationUrl: report.pullRequest.url } : {}),
    },
    { at: options.now.toISOString(), ...(options.repository ? { repository: options.repository } : {}), ...(report.branch ? { commit: report.branch.base } : {}) },
    ),
    ...findUnratifiedEvents(repo, report),
  ];
  if (events.length > 0) report.notifications = await options.notifier.notify(events, repo);
}

/**
 * Usage of the grants about to be warned, judged now. Usage only adds a remark to a notice: when it cannot
 * be read, the notices go out without one (never claiming use or disuse) and the report says why.
 */
async function readNoticeUsage(options: ExpireOptions, repo: AccessRepo, grants: readonly ExpiringGrant[], report: ExpireReport): Promise<ReadonlyMap<string, GrantUse>> {
  try {
    return await readGrantUsage(repo, grants.map((grant) => ({ file: grant.file, grant, at: options.now })), {
      provider: options.provider,
      usage: options.usage!,
      ...(options.unusedAfter ? { unusedAfter: options.unusedAfter } : {}),
    });
  } catch (error) {
    report.notes.push(`usage could not be read, so the expiry notices say nothing about use: ${error instanceof Error ? error.message : String(error)}`);
    return new Map();
  }
}

async function recordRevocation(options: ExpireOptions, repo: AccessRepo, snapshot: RepoSnapshot, report: ExpireReport, accessLimitMs: (resource: string) => number): Promise<void> {
  const { git, github, dryRun } = options;
  if (!git) {
    if (report.recorded.length > 0) report.notes.push('not a git repository: the revocation is not recorded in the repository');
    return;
  }
  const remote = options.remote ?? 'origin';
  const base = await git.headCommit();
  const baseBranch = options.baseBranch ?? (await git.currentBranch()) ?? 'main';
  report.branch = { name: REVOCATION_BRANCH, base, pushed: false };
  const manual = new Map(
    report.manual.flatMap((m) => (m.change.grant ? [[m.change.grant, m.outcome?.issue ? `#${m.outcome.issue.number}` : undefined] as const] : [])),
  );
  const pr = buildRevocationPullRequest(report.recorded, { now: options.now, manual, accessLimitMs });
  if (dryRun) return;

  const remoteTip = github ? await git.fetchBranch(remote, REVOCATION_BRANCH) : undefined;
  let commit: BranchCommit | undefined;
  if (report.recorded.length > 0) {
    const texts = new Map(snapshot.files.map((f) => [f.path, f.content]));
    const changes: FileChange[] = report.recorded.map((r) => ({
      path: r.file,
      content: r.action === 'delete' ? null : editGrantYaml(textOf(texts.get(r.file)!), { status: 'expired' }),
    }));
    commit = await git.commitOnBranch({ branch: REVOCATION_BRANCH, base, changes, message: pr.commitMessage, reuse: remoteTip ? [remoteTip] : [], date: options.now });
    report.branch.commit = commit;
  }
  if (!github) return;

  const open = await github.findOpenPullRequest(REVOCATION_BRANCH, baseBranch);
  if (!commit) {
    // Nothing left to record (renewed or recorded meanwhile): an open revocation pull request is stale.
    if (open && report.expiry.revocations.length === 0) {
      await github.comment(open.number, 'Nothing is left to revoke: every grant this pull request listed was renewed or its revocation is already recorded. Closing it.');
      await github.updatePullRequest(open.number, { state: 'closed' });
      report.pullRequest = { number: open.number, url: open.url, action: 'closed' };
    }
    return;
  }
  if (remoteTip !== commit.sha) {
    await git.pushBranch(remote, REVOCATION_BRANCH, commit.sha, remoteTip);
    report.branch.pushed = true;
  }
  if (!open) {
    const created = await github.createPullRequest({ head: REVOCATION_BRANCH, base: baseBranch, title: pr.title, body: pr.body });
    report.pullRequest = { number: created.number, url: created.url, action: 'opened' };
  } else if (open.title !== pr.title || open.body !== pr.body) {
    await github.updatePullRequest(open.number, { title: pr.title, body: pr.body });
    report.pullRequest = { number: open.number, url: open.url, action: 'updated' };
  } else {
    report.pullRequest = { number: open.number, url: open.url, action: report.branch.pushed ? 'updated' : 'unchanged' };
  }
}
