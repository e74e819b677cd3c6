import { createHash } from 'node:crypto';
import type { ChangedFile } from '../core/approval/approval-input.js';
import { readRulesFromBase } from '../core/approval/rules-from-base.js';
import { findApprovalEvents } from '../core/notify/approval-events.js';
import type { NotificationReport } from '../core/notify/notification-report.js';
import type { ApprovalResult } from '../core/approval/approval-result.js';
import { chooseReviewRequests } from '../core/approval/choose-review-requests.js';
import { evaluateApproval, touchesAccess } from '../core/approval/evaluate-approval.js';
import { needsGrantsAtBase } from '../core/approval/merged-tree.js';
import { fingerprintChange } from '../core/approval/approval-fingerprint.js';
import type { EquivalentCommit, PullRequestSnapshot } from '../core/approval/pull-request.js';
import { classifyPath } from '../core/parse-access-repo.js';
import type {
  CheckRunReport,
  DeliveryLedger,
  FileAtCommit,
  GitChangedPath,
  Notifier,
  PullRequestFacts,
  PullRequestPublisher,
  PullRequestReader,
  PullRequestTarget,
  RepoRef,
} from '../ports.js';
import {
  fitGitHubText,
  renderApprovalCheckRun,
  renderEvaluationFailedCheckRun,
  renderNoAccessCheckRun,
  renderTooLargeCheckRun,
  type CheckSubject,
} from '../render/approval-check-run.js';
import { APPROVAL_COMMENT_MARKER, renderApprovalComment } from '../render/approval-markdown.js';
import { renderGrantRiskLines } from '../render/grant-risk-markdown.js';
import type { GrantRiskSource } from './grant-risk.js';
import { findEquivalentCommits } from './carry-approvals.js';
import { readRuleTeams } from './read-rule-teams.js';
import type { EvaluationInputs, EvaluationMemory, HeadMemory, PublishedCheck, PullMemory } from './evaluation-memory.js';

/** GitHub lists at most this many files of a pull request; beyond it a change could hide. */
export const PULL_FILES_CAP = 3000;

export interface EvaluatePullRequestRequest {
  target: PullRequestTarget;
  subject: CheckSubject;
  /** The access directory, repository-relative. */
  dir: string;
  now: Date;
  /** GitHub's count of changed files when the event carries it: over the cap fails before any read. */
  changedFileCount?: number;
  /** The repository's web address, to link files from the summary. */
  htmlUrl?: string;
  /** The event cannot change the outcome (a comment-only review, a title edit): a judged head costs nothing. */
  cannotChangeOutcome?: boolean;
  /** Someone asked for a re-run: judge afresh, forgetting what is remembered of this head. */
  rerun?: boolean;
}

export type EvaluationOutcome = 'evaluated' | 'unchanged' | 'no-access-changes' | 'too-large' | 'outdated';

export interface EvaluatePullRequestReport {
  outcome: EvaluationOutcome;
  result?: ApprovalResult;
  /** The check as published (or as it stands, when unchanged). */
  check?: CheckRunReport;
  /** Who was asked to review by this evaluation. */
  requestedReviewers: string[];
  /** What became of the notifications this evaluation sent. */
  notifications?: NotificationReport;
}

export interface EvaluatePullRequestDeps {
  reader: PullRequestReader;
  publisher: PullRequestPublisher;
  memory: EvaluationMemory;
  /** Risk of the requested grants: raises approvers where it says so and is shown in the comment. */
  risk?: GrantRiskSource;
  /** The app's own id: only its recorded fingerprints let approvals of earlier commits carry over. */
  appId?: number;
  /** Tells approvers they are awaited and requesters of each approval (absent: nobody is told). */
  notifier?: Notifier;
}

const REQUESTED_MARKER = /<!-- grantops:requested ([^>]*?) ?-->/;
const NOTIFIED_MARKER = /<!-- grantops:notified ([^>]*?) ?-->/;

/**
 * Judges one pull request (or merge group) and publishes the outcome: read through the reader, decide
 * with the pure evaluator, write the `grantops` check, the one comment and the review requests.
 * Everything read is pinned to the target's two SHAs, so a head already judged is re-judged from
 * memory and only its reviews are read again. Fails closed: if the evaluation breaks, the check fails.
 */
export function evaluatePullRequest(request: EvaluatePullRequestRequest, deps: EvaluatePullRequestDeps): Promise<EvaluatePullRequestReport> {
  const { target } = request;
  const pullKey = `${target.owner}/${target.repo}#${target.number}`.toLowerCase();
  return deps.memory.serialize(pullKey, () => new Evaluation(request, deps, pullKey).run());
}

class Evaluation {
  private readonly headKey: string;

  constructor(
    private readonly request: EvaluatePullRequestRequest,
    private readonly deps: EvaluatePullRequestDeps,
    private readonly pullKey: string,
  ) {
    const { target, subject, dir } = request;
    this.headKey = `${pullKey}@${subject}:${target.headSha}:${target.baseSha}:${dir}`;
  }

  async run(): Promise<EvaluatePullRequestReport> {
    const { memory } = this.deps;
    if (this.request.rerun) memory.forgetHead(this.headKey);
    const known = memory.head(this.headKey);
    if (known && (this.request.cannotChangeOutcome || !known.inputs)) return { outcome: 'unchanged', requestedReviewers: [] };
    try {
      return known?.inputs ? await this.rejudge(known, known.inputs) : await this.judgeFirstTime();
    } catch (error) {
      memory.forgetHead(this.headKey);
      await this.publishFailure(error);
      throw error;
    }
  }

  /** A head judged before: only reviews can have changed. One request when they have not. */
  private async rejudge(known: HeadMemory, inputs: EvaluationInputs): Promise<EvaluatePullRequestReport> {
    const facts = await this.deps.reader.readFacts(this.request.target);
    if (this.isOutdated(facts)) return { outcome: 'outdated', requestedReviewers: [] };
    if (reviewsKey(facts) === known.reviewsKey) return { outcome: 'unchanged', requestedReviewers: [] };
    return this.judgeAndPublish(inputs, facts, known.check);
  }

  private async judgeFirstTime(): Promise<EvaluatePullRequestReport> {
    const { target, dir } = this.request;
    if ((this.request.changedFileCount ?? 0) > PULL_FILES_CAP) return this.publishTooLarge(this.request.changedFileCount!);
    const overview = await this.deps.reader.readOverview(target, dir);
    if (this.isOutdated(overview.facts)) return { outcome: 'outdated', requestedReviewers: [] };
    if (overview.facts.changedFileCount > PULL_FILES_CAP) return this.publishTooLarge(overview.facts.changedFileCount);
    // Even when the access tree is unchanged the paths are listed: a workflow or attributes file that
    // steers what grantops applies is a rules change (DESIGN §8), not "nothing to approve".
    const listed = await this.deps.reader.listChangedPaths(target);
    if (listed.length >= PULL_FILES_CAP && overview.facts.changedFileCount > listed.length) return this.publishTooLarge(overview.facts.changedFileCount);
    const changedFiles = [...new Set(listed.flatMap((c) => (c.oldPath !== undefined && c.status === 'renamed' ? [c.oldPath, c.path] : [c.path])))];
    // With the access tree unchanged, only paths outside it can steer grantops.
    if (!overview.accessTreeChanged && !touchesAccess(overview.rulesAtBase, changedFiles.filter((p) => !p.startsWith(`${dir}/`)))) return this.publishNoAccess();
    const changes = await readChanges(this.deps.reader, target, dir, listed);
    const grantsAtBase = needsGrantsAtBase(dir, changedFiles) ? await this.deps.reader.readGrants(target, target.baseSha, dir) : undefined;
    const fingerprint = fingerprintChange({ rulesAtBase: overview.rulesAtBase, changes, listed });
    return this.judgeAndPublish({ rulesAtBase: overview.rulesAtBase, changes, changedFiles, ...(grantsAtBase && { grantsAtBase }), ...(fingerprint && { fingerprint }) }, overview.facts, undefined);
  }

  /** A pull request event for a head that is no longer the pull request's head: a newer event judges the new one. */
  private isOutdated(facts: PullRequestFacts): boolean {
    return this.request.subject === 'pull_request' && facts.headSha !== this.request.target.headSha;
  }

  private async judgeAndPublish(inputs: EvaluationInputs, facts: PullRequestFacts, previous: PublishedCheck | undefined): Promise<EvaluatePullRequestReport> {
    const { target, subject, now } = this.request;
    const pr: PullRequestSnapshot = {
      author: facts.author,
      // In a merge queue the reviews to count are those of the pull request's own head.
      headSha: subject === 'merge_group' ? facts.headSha : target.headSha,
      baseSha: target.baseSha,
      changedFiles: inputs.changedFiles,
      reviews: facts.reviews,
      equivalentCommits: await this.findEquivalentCommits(inputs, facts),
    };
    const risk = await this.deps.risk?.(inputs.rulesAtBase);
    const teams = await readRuleTeams(this.deps.reader, inputs.rulesAtBase, inputs.changedFiles);
    const result = evaluateApproval({ rulesAtBase: inputs.rulesAtBase, changes: inputs.changes, pr, now, teams, ...(inputs.grantsAtBase && { grantsAtBase: inputs.grantsAtBase }), ...(risk && { escalate: risk.escalate }) });
    const linkFile = this.fileLinker();
    const rendered = renderApprovalCheckRun(result, { headSha: target.headSha, subject, ...(linkFile && { linkFile }) });
    const check = inputs.fingerprint && subject === 'pull_request' ? { ...rendered, externalId: inputs.fingerprint } : rendered;
    const published = await this.publishCheck(check, previous);
    let requestedReviewers: string[] = [];
    let notifications: NotificationReport | undefined;
    if (subject === 'pull_request') {
      const pull = await this.pullMemory();
      requestedReviewers = chooseReviewRequests(result, { author: facts.author, reviews: facts.reviews, requestedNow: facts.requestedReviewers, requestedBefore: pull.requested });
      if (requestedReviewers.length > 0) {
        // Refused logins are remembered too: asking again would be refused again.
        await this.deps.publisher.requestReviewers(target, requestedReviewers);
        pull.requested = [...pull.requested, ...requestedReviewers];
      }
      const appendix = risk ? renderGrantRiskLines(result, risk.assess, risk.model) : [];
      const body = renderApprovalComment(result, { ...(linkFile && { linkFile }), appendix });
      await this.writeComment(pull, body);
      // After the check, the review requests and the comment: a slow channel delays nothing people see on
      // GitHub. What was sent is then written into the comment (one more edit, only when something was).
      notifications = await this.notify(result, inputs, facts, requestedReviewers, pull);
      if (notifications) await this.writeComment(pull, body);
    }
    this.deps.memory.rememberHead(this.headKey, { inputs, reviewsKey: reviewsKey(facts), check: published });
    return { outcome: 'evaluated', result, check, requestedReviewers, ...(notifications ? { notifications } : {}) };
  }

  /**
   * Approvers just asked, and approvals given, are told; the comment written next carries what was sent
   * (hidden, as digests), so neither a re-delivered event nor a restarted app tells anyone twice.
   */
  private async notify(result: ApprovalResult, inputs: EvaluationInputs, facts: PullRequestFacts, requested: string[], pull: PullMemory): Promise<NotificationReport | undefined> {
    const { notifier } = this.deps;
    if (!notifier) return undefined;
    const { target, now, htmlUrl } = this.request;
    const rules = readRulesFromBase(inputs.rulesAtBase, [], now).repo;
    const events = findApprovalEvents(
      rules,
      result,
      { pullRequest: { number: target.number, author: facts.author, ...(htmlUrl ? { url: `${htmlUrl}/pull/${target.number}` } : {}) }, headSha: target.headSha, requested },
      { at: now.toISOString(), repository: `${target.owner}/${target.repo}` },
    );
    if (events.length === 0) return undefined;
    return notifier.notify(events, rules, commentLedger(pull));
  }

  /**
   * Commits whose approvals count for the head: those the app recorded with the head's fingerprint. In a
   * merge queue the reviews counted are those of the pull request's head, so its recorded fingerprints
   * are the reference there.
   */
  private async findEquivalentCommits(inputs: EvaluationInputs, facts: PullRequestFacts): Promise<EquivalentCommit[]> {
    const { target, subject } = this.request;
    const headSha = subject === 'merge_group' ? facts.headSha : target.headSha;
    if (this.deps.appId === undefined || !facts.reviews.some((r) => r.state === 'APPROVED' && r.commitSha !== headSha)) return [];
    const fingerprints = subject === 'merge_group' ? await this.deps.reader.readRecordedFingerprints(target, headSha, this.deps.appId) : inputs.fingerprint ? [inputs.fingerprint] : [];
    return findEquivalentCommits(this.deps.reader, target, { headSha, reviews: facts.reviews, fingerprints, appId: this.deps.appId });
  }

  /** Publishes only what changed: nothing, an update of the run, or a new run when its annotations differ. */
  private async publishCheck(check: CheckRunReport, previous: PublishedCheck | undefined): Promise<PublishedCheck> {
    const fingerprint = JSON.stringify([check.status, check.conclusion, check.title, check.summary, check.text]);
    const annotationsKey = JSON.stringify(check.annotations);
    if (previous && previous.annotationsKey === annotationsKey) {
      if (previous.fingerprint !== fingerprint) await this.deps.publisher.publishCheck(this.request.target, { ...check, annotations: [] }, previous.id);
      return { ...previous, fingerprint };
    }
    const id = await this.deps.publisher.publishCheck(this.request.target, check);
    return { id, fingerprint, annotationsKey };
  }

  private async pullMemory(): Promise<PullMemory> {
    const remembered = this.deps.memory.pull(this.pullKey);
    if (remembered) return remembered;
    const found = await this.deps.publisher.findComment(this.request.target, APPROVAL_COMMENT_MARKER);
    const pull: PullMemory = { requested: [] };
    if (found) {
      pull.commentId = found.id;
      pull.commentBody = found.body;
      pull.requested = (REQUESTED_MARKER.exec(found.body)?.[1] ?? '').split(/\s+/).filter(Boolean);
      pull.notified = (NOTIFIED_MARKER.exec(found.body)?.[1] ?? '').split(/\s+/).filter(Boolean);
    }
    this.deps.memory.rememberPull(this.pullKey, pull);
    return pull;
  }

  /** One comment per pull request, edited in place; who was asked to review rides along, hidden, so a restart remembers. */
  private async writeComment(pull: PullMemory, rendered: string): Promise<void> {
    const marker = `<!-- grantops:requested ${pull.requested.join(' ')} -->${pull.notified?.length ? `\n<!-- grantops:notified ${pull.notified.join(' ')} -->` : ''}`;
    const body = `${fitGitHubText(rendered, 65535 - marker.length - 1)}${marker}\n`;
    if (body === pull.commentBody) return;
    pull.commentId = await this.deps.publisher.writeComment(this.request.target, body, pull.commentId);
    pull.commentBody = body;
  }

  private async publishNoAccess(): Promise<EvaluatePullRequestReport> {
    const { target, dir } = this.request;
    const check = renderNoAccessCheckRun(target.headSha, dir);
    await this.publishTerminal(check);
    // A comment left by an earlier push that did change access would now mislead.
    const pull = this.request.subject === 'pull_request' ? this.deps.memory.pull(this.pullKey) : undefined;
    if (pull?.commentId !== undefined) {
      await this.writeComment(pull, `${APPROVAL_COMMENT_MARKER}\n### Nothing to approve\n\nThe latest commit changes nothing under \`${dir}/\`; grantops has nothing to approve.\n`);
    }
    return { outcome: 'no-access-changes', check, requestedReviewers: [] };
  }

  private async publishTooLarge(count: number): Promise<EvaluatePullRequestReport> {
    const check = renderTooLargeCheckRun(this.request.target.headSha, count, PULL_FILES_CAP);
    await this.publishTerminal(check);
    return { outcome: 'too-large', check, requestedReviewers: [] };
  }

  /** A check no later event on this head can change. */
  private async publishTerminal(check: CheckRunReport): Promise<void> {
    const id = await this.deps.publisher.publishCheck(this.request.target, check);
    this.deps.memory.rememberHead(this.headKey, { reviewsKey: '', check: { id, fingerprint: '', annotationsKey: '' } });
  }

  private async publishFailure(error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    try {
      await this.deps.publisher.publishCheck(this.request.target, renderEvaluationFailedCheckRun(this.request.target.headSha, message));
    } catch (publishError) {
      throw new AggregateError([error, publishError], `the evaluation failed (${message}) and the failing check could not be published either`);
    }
  }

  private fileLinker(): ((file: string, line: number) => string) | undefined {
    const { htmlUrl, target } = this.request;
    if (!htmlUrl) return undefined;
    return (file, line) => (line > 0 ? `${htmlUrl}/blob/${target.headSha}/${encodeURI(file)}#L${line}` : `${htmlUrl}/blob/${target.baseSha}/${encodeURI(file)}`);
  }
}

/** Deliveries about one pull request, remembered in its memory (and so in its comment) as short digests. */
function commentLedger(pull: PullMemory): DeliveryLedger {
  const digest = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 16);
  return {
    findDelivered: async (keys) => new Set(keys.filter((k) => pull.notified?.includes(digest(k)))),
    recordDelivered: async (keys) => {
      pull.notified = [...new Set([...(pull.notified ?? []), ...keys.map(digest)])];
    },
  };
}

function reviewsKey(facts: PullRequestFacts): string {
  return JSON.stringify(facts.reviews.map((r) => [r.reviewer, r.state, r.commitSha, r.submittedAt, r.isBot === true]));
}

/**
 * The contents the evaluator needs, in one batched read: every changed grant file at the base and the
 * head (renamed: the old path given up, the new one asked for), every other path under the access
 * directory at the head. The base side is the target's base commit, the same commit the rules come from.
 */
export async function readChanges(reader: PullRequestReader, target: PullRequestTarget, dir: string, listed: readonly GitChangedPath[]): Promise<ChangedFile[]> {
  // Every path under the access directory, whatever its name: the evaluator decides what it is.
  const wanted = (p: string) => p.startsWith(`${dir}/`);
  const isGrant = (p: string) => classifyPath(dir, p).kind === 'grant';
  const entries = new Map<string, ChangedFile>();
  const entry = (path: string) => entries.get(path) ?? entries.set(path, { path }).get(path)!;
  const headPaths: string[] = [];
  const basePaths: string[] = [];
  for (const c of listed) {
    if (wanted(c.path)) {
      entry(c.path);
      if (c.status !== 'deleted') headPaths.push(c.path);
      if (isGrant(c.path)) basePaths.push(c.path);
    }
    if (c.status === 'renamed' && c.oldPath !== undefined && wanted(c.oldPath)) {
      entry(c.oldPath);
      if (isGrant(c.oldPath)) basePaths.push(c.oldPath);
    }
  }
  const at = (sha: string) => (path: string): FileAtCommit => ({ sha, path });
  const contents = await reader.readFiles(target, [...headPaths.map(at(target.headSha)), ...basePaths.map(at(target.baseSha))]);
  for (const path of headPaths) {
    const content = contents.get(`${target.headSha}:${path}`);
    // A path GitHub lists as present at the head but whose content cannot be read (a symlink, a
    // submodule, a truncated blob) must never pass as a deletion, which would need nobody's approval.
    if (content !== null && content !== undefined) entry(path).head = content;
    else entry(path).headUnreadable = 'the file exists at the head but its content could not be read as a regular file';
  }
  for (const path of basePaths) {
    const content = contents.get(`${target.baseSha}:${path}`);
    if (content !== null && content !== undefined) entry(path).base = content;
  }
  return [...entries.values()];
}

/** A check the app cannot relate to anything it can judge fails, with the reason as its summary. */
export async function publishUnjudgeable(publisher: PullRequestPublisher, repo: RepoRef, headSha: string, reason: string): Promise<void> {
  await publisher.publishCheck(repo, renderEvaluationFailedCheckRun(headSha, reason));
}

/** The number GitHub's merge queue writes into its branch name: `gh-readonly-queue/<base>/pr-<number>-<sha>`. */
export function findMergeGroupPullNumber(ref: string): number | undefined {
  const match = /(?:^|\/)gh-readonly-queue\/.+\/pr-(\d+)-[0-9a-f]{40}$/.exec(ref);
  return match ? Number(match[1]) : undefined;
}

export interface RerequestedCheck {
  repo: RepoRef;
  headSha: string;
  /** The pull requests GitHub attached to the check run (none for forks and merge groups). */
  pullRequests: { number: number; baseSha: string }[];
  /** The branch the checked commit is on, when GitHub says. */
  headBranch?: string;
  dir: string;
  now: Date;
  htmlUrl?: string;
}

/**
 * "Re-run" on the `grantops` check: find what the commit belongs to (the pull request GitHub names, a
 * merge group by its branch, or the open pull request whose head it is) and judge it afresh.
 */
export async function evaluateRerequestedCheck(request: RerequestedCheck, deps: EvaluatePullRequestDeps): Promise<EvaluatePullRequestReport> {
  const { repo, headSha } = request;
  const base = { dir: request.dir, now: request.now, rerun: true, ...(request.htmlUrl && { htmlUrl: request.htmlUrl }) };
  const named = request.pullRequests[0];
  if (named) {
    return evaluatePullRequest({ ...base, subject: 'pull_request', target: { ...repo, number: named.number, headSha, baseSha: named.baseSha } }, deps);
  }
  const queued = request.headBranch ? findMergeGroupPullNumber(request.headBranch) : undefined;
  if (queued !== undefined) {
    const parent = await deps.reader.firstParent(repo, headSha);
    if (parent) return evaluatePullRequest({ ...base, subject: 'merge_group', target: { ...repo, number: queued, headSha, baseSha: parent } }, deps);
  }
  const pull = await deps.reader.findPullRequestByHead(repo, headSha);
  if (pull) return evaluatePullRequest({ ...base, subject: 'pull_request', target: { ...repo, number: pull.number, headSha, baseSha: pull.baseSha } }, deps);
  await publishUnjudgeable(deps.publisher, repo, headSha, 'no open pull request or merge group has this commit as its head, so there is nothing grantops can approve.');
  return { outcome: 'outdated', requestedReviewers: [] };
}
