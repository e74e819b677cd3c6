/**
 * The small interfaces the use cases reach the outside world through. Each has a real adapter under
 * `src/adapters/` and can be faked in tests.
 */
import type { AccountSnapshot } from './core/iam/account-snapshot.js';
import type { SystemConfig } from './core/model.js';
import type { IamOperation, OperationResult } from './core/plan/iam-operation.js';
import type { RetryReport } from './core/plan/retry-report.js';
import type { AccessFileHistory } from './core/provenance/branch-snapshot.js';
import type { CommitOrigin } from './core/provenance/push-snapshot.js';
import type { RepoSnapshot } from './core/repo-file.js';
import type { HistoryFacts } from './core/audit/commit-facts.js';
import type { NoteFacts } from './core/audit/note-facts.js';
import type { Review } from './core/approval/pull-request.js';
import type { NotificationRules } from './core/notify/notification-rules.js';
import type { NotificationEvent } from './core/notify/notification-event.js';
import type { NotificationReport } from './core/notify/notification-report.js';

// --- IAM (issue 4: provisioning) ---------------------------------------------------------------

/** One system (AWS account) of grantops.yaml, as the providers address it. */
export interface IamSystemRef {
  id: string;
  config: SystemConfig;
}

/** The parts of `GetAccountAuthorizationDetails` a reader asks for (its `Filter` values). */
export type SnapshotPart = 'User' | 'Group' | 'Role' | 'LocalManagedPolicy' | 'AWSManagedPolicy';

export interface ReadSnapshotOptions {
  /** Defaults to every part; plan asks only for users, groups and local managed policies. */
  include?: readonly SnapshotPart[];
  /** Identity Center systems: only these permission set x account pairs' assignments are needed (plan). */
  assignmentPairs?: readonly { permissionSet: string; accountId: string }[];
}

/**
 * An account's IAM, read and changed. Implementations: `aws` (`@aws-sdk/client-iam`) and `file` (a JSON
 * state in the get-account-authorization-details format).
 */
export interface IamProvider {
  readonly kind: string;
  /**
   * The account as one snapshot (callers read it once per system per run), with `SummaryMap` filled
   * from `GetAccountSummary` (the file provider: the state's own, else AWS's default quotas).
   */
  readSnapshot(system: IamSystemRef, options?: ReadSnapshotOptions): Promise<AccountSnapshot>;
  /** `GetAccountSummary`'s SummaryMap (quotas and usage counts). */
  readAccountSummary(system: IamSystemRef): Promise<Record<string, number>>;
  /**
   * Carries out the operations (all for `system`) with bounded concurrency, in no particular order:
   * callers that need removals before additions call it once per phase. An operation that fails is a
   * `failed` result naming its grant, never a thrown error; it throws only when the provider itself
   * cannot work (e.g. the state file cannot be written).
   */
  applyOperations(system: IamSystemRef, operations: readonly IamOperation[]): Promise<OperationResult[]>;
  /** The calls retried so far (throttling, concurrent modification, 5xx, dropped connections); absent where nothing is retried. */
  readRetries?(): RetryReport;
}

export type IamProviderKind = 'file' | 'aws';

// --- Usage tracking (issue 7: inventory) ---------------------------------------------------------

export interface ReadUsageOptions {
  /** Also run a GenerateServiceLastAccessedDetails job per user and role (slow: one job at a time). */
  serviceLastAccessed?: boolean;
}

/**
 * Adds what the authorization details lack for usage tracking: credential facts (password, MFA, access
 * keys and their last use) and, on request, per-service last use. Implementations: `aws` (credential
 * report and last-accessed jobs) and `file` (the state already holds them).
 */
export interface IamUsageReader {
  addUsage(system: IamSystemRef, snapshot: AccountSnapshot, options?: ReadUsageOptions): Promise<AccountSnapshot>;
}

// --- Push provenance (issue 4: the GitHub Action) ------------------------------------------------

/** The applied branch as the local clone knows it (adapter: `src/adapters/git/branch-history.ts`). */
export interface BranchHistory {
  /** Every file under `dir` at `head`, with the first-parent commits that gave it its content. */
  readAccessHistory(head: string, dir: string): Promise<AccessHistory>;
  /** A file's bytes at a commit, or null when it did not exist there. */
  readFileAt(commit: string, path: string): Promise<Uint8Array | null>;
  /** The commit the working tree is checked out at. */
  readHeadCommit(): Promise<string>;
  hasRemote(name: string): Promise<boolean>;
}

export interface AccessHistory {
  /** The oldest first-parent commit that changed the access directory. */
  bootstrap?: string;
  files: AccessFileHistory[];
}

/** The decision notes provenance reads (adapter: `src/adapters/git/notes.ts`). */
export interface DecisionNoteReader {
  /** The note on each of `commits` that has one: a constant number of git processes, whatever the count. */
  readNotesOn(commits: readonly string[]): Promise<Map<string, string>>;
  /** Fetches the remote's notes and merges them in; false when the remote has none yet. */
  fetchNotes(remote: string): Promise<boolean>;
}

/** What GitHub says about where commits came from (adapter: `src/adapters/github/commit-origins.ts`). */
export interface CommitOrigins {
  findCommitOrigins(shas: readonly string[]): Promise<Record<string, CommitOrigin>>;
}

// --- Git refs (issue 3: check; reused by expire and audit) ---------------------------------------

export type GitChangeStatus = 'added' | 'modified' | 'deleted' | 'renamed' | 'copied' | 'type-changed';

/** One file changed between two commits (`git diff --name-status`). */
export interface GitChangedPath {
  status: GitChangeStatus;
  /** The path at the head (for a deletion: the deleted path). */
  path: string;
  /** For renames and copies: the path at the base. */
  oldPath?: string;
  /** Blob id at the head (absent for a deletion, or when not a regular file). */
  oid?: string;
  /** Blob id at the base (absent for an addition, or when not a regular file). */
  oldOid?: string;
}

/**
 * A local repository read at any commit without a checkout (adapter: `src/adapters/git/git-ref-reader.ts`).
 * Built for 10k+ files: a tree costs one ls-tree and one cat-file process.
 */
export interface GitRefReader {
  /** The commit SHA a ref names; throws a clear error for an unknown ref. */
  resolveCommit(ref: string): Promise<string>;
  /**
   * The commit a name a user typed stands for, unambiguously: a branch or remote-tracking branch (short or
   * full name), `HEAD`, or a full SHA. A tag, or a name more than one ref answers to, is refused.
   */
  resolveBranchOrCommit(ref: string): Promise<string>;
  mergeBase(a: string, b: string): Promise<string>;
  /** The access directory at a commit; `include` limits which files are read. */
  readTree(ref: string, dir: string, options?: { include?: (path: string) => boolean }): Promise<RepoSnapshot>;
  /** Files at a commit by path, in one batch; null for a path that does not exist there. */
  readFiles(ref: string, paths: readonly string[]): Promise<Map<string, Uint8Array | null>>;
  /** Blobs by id (e.g. the `oid`s of listChangedPaths), in one batch; null for an unknown id. */
  readBlobs(oids: readonly string[]): Promise<Map<string, Uint8Array | null>>;
  /** Files changed from `base` to `head` (`since: 'merge-base'`: as a pull request shows them). */
  listChangedPaths(base: string, head: string, options?: { dir?: string; since?: 'base' | 'merge-base' }): Promise<GitChangedPath[]>;
}

// --- Audit and decision records (issue 6) --------------------------------------------------------

/** Who commits made by grantops itself (decision notes) are by, where the runner has no git identity. */
export interface GitIdentity {
  name: string;
  email: string;
}

/** The history of the access directory (adapter: `src/adapters/git/history.ts`). */
export interface AuditHistory {
  /** The commit HEAD names; null in a repository without commits. */
  readHead(): Promise<string | null>;
  /** Every commit reachable from `head` (default HEAD), its changes under `dir`, the first-parent chain, any shallow edge. */
  readHistory(dir: string, head?: string | null): Promise<HistoryFacts>;
  /** Blob contents by id (or `REV:path`), in one batch; null for a missing object. */
  readBlobs(ids: readonly string[]): Promise<Map<string, Uint8Array | null>>;
}

/** Decision notes under `refs/notes/grantops` (adapter: `src/adapters/git/notes.ts`): append-only. */
export interface DecisionNotes {
  readNotes(): Promise<NoteFacts>;
  /** Adds to the commit's note (creating it if needed); never replaces what is there. */
  appendNote(commit: string, text: string): Promise<void>;
  /** Fetches the remote's notes and merges them in; false when the remote has none yet. */
  fetchNotes(remote: string): Promise<boolean>;
  pushNotes(remote: string): Promise<void>;
}

/** A merged pull request as its decision record needs it (adapter: `src/adapters/github/merged-pull-requests.ts`). */
export interface MergedPullRequestFacts {
  number: number;
  url?: string;
  author: string;
  /** The final head commit: the approvals that count are of this commit. */
  headSha: string;
  baseSha: string;
  /** The commit it landed as on the base branch (merge, squash or last rebased commit). */
  mergeCommitSha?: string;
  mergedBy?: string;
  /** Every review, oldest first. */
  reviews: Review[];
}

export interface MergedPullRequests {
  readMergedPullRequest(number: number): Promise<MergedPullRequestFacts>;
}

// --- GitHub pull requests (issue 3: the app) ------------------------------------------------------

export interface RepoRef {
  owner: string;
  repo: string;
}

/** One pull request and the two commits an evaluation is pinned to. */
export interface PullRequestTarget extends RepoRef {
  number: number;
  /** The commit judged and reported on: the pull request's head, or a merge group's head. */
  headSha: string;
  /** The commit the rules, and the grants' before versions, are read at. */
  baseSha: string;
}

/** What moves on a pull request without a push: its reviews and review requests. */
export interface PullRequestFacts {
  author: string;
  /** The pull request's head now (a later push, or the merge group's pull request, makes it differ from the target's). */
  headSha: string;
  /** As GitHub counts them, beyond its 3,000-file listing cap too. */
  changedFileCount: number;
  /** Oldest first. */
  reviews: Review[];
  requestedReviewers: string[];
}

export interface PullRequestOverview {
  facts: PullRequestFacts;
  /** The base's rule files: grantops.yaml, people.yaml, resources/**. */
  rulesAtBase: RepoSnapshot;
  /** False when the access directory and `schemas/` are the same trees at base and head: nothing to judge. */
  accessTreeChanged: boolean;
}

/** A file at a commit; `null` content where it does not exist. */
export interface FileAtCommit {
  sha: string;
  path: string;
}

/** The code host's view of a pull request, read in as few requests as it allows (adapter: `src/adapters/github/`). */
export interface PullRequestReader {
  /** One request: facts, the base's rules, and whether the access tree differs between base and head. */
  readOverview(target: PullRequestTarget, dir: string): Promise<PullRequestOverview>;
  /** One request: the facts only, for an event on a head already judged. */
  readFacts(target: PullRequestTarget): Promise<PullRequestFacts>;
  /** Every changed path as GitHub lists it (at most 3,000), renames with their old path. */
  listChangedPaths(target: PullRequestTarget): Promise<GitChangedPath[]>;
  /** Contents by `sha:path`, in batches; null where the file does not exist. */
  readFiles(repo: RepoRef, files: readonly FileAtCommit[]): Promise<Map<string, Uint8Array | string | null>>;
  /** Every grant file under `dir` at `sha` (for validating the merged tree when the rules change). */
  readGrants(repo: RepoRef, sha: string, dir: string): Promise<RepoSnapshot>;
  /** The open pull request whose head is `sha` (a check re-run names only the commit). */
  findPullRequestByHead(repo: RepoRef, sha: string): Promise<{ number: number; baseSha: string } | undefined>;
  firstParent(repo: RepoRef, sha: string): Promise<string | undefined>;
  /**
   * The logins of a team's members (the app's Members permission), or undefined when GitHub does not
   * know the team or will not show it. Any other failure throws.
   */
  readTeamMembers(org: string, slug: string): Promise<string[] | undefined>;
  /**
   * The approval fingerprints the app itself recorded on a commit: the `external_id` of the `grantops`
   * check runs there reported by the app `appId` (a run of that name by anyone else is ignored).
   */
  readRecordedFingerprints(repo: RepoRef, sha: string, appId: number): Promise<string[]>;
}

export interface CheckAnnotation {
  path: string;
  startLine: number;
  endLine: number;
  startColumn?: number;
  endColumn?: number;
  level: 'notice' | 'warning' | 'failure';
  title?: string;
  message: string;
}

/** A check run as published: `in_progress` has no conclusion (it blocks merging, as pending approvals should). */
export interface CheckRunReport {
  name: string;
  headSha: string;
  status: 'in_progress' | 'completed';
  conclusion?: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
  text?: string;
  annotations: CheckAnnotation[];
  /** The run's `external_id`: the approval fingerprint of the head it judged (approval-fingerprint.ts). */
  externalId?: string;
}

export interface PullRequestComment {
  id: number;
  body: string;
}

/** Where an evaluation's outcome goes: the check run, the one comment, the review requests. */
export interface PullRequestPublisher {
  /** Creates the check run (or updates `existingId`), annotations 50 per request; returns its id. */
  publishCheck(repo: RepoRef, report: CheckRunReport, existingId?: number): Promise<number>;
  /** The bot-written comment holding `marker`, if any. */
  findComment(pr: RepoRef & { number: number }, marker: string): Promise<PullRequestComment | undefined>;
  /** Creates the comment, or edits `existingId`; returns its id. */
  writeComment(pr: RepoRef & { number: number }, body: string, existingId?: number): Promise<number>;
  /** Asks these people to review; returns the logins GitHub refused (e.g. not collaborators). */
  requestReviewers(pr: RepoRef & { number: number }, logins: readonly string[]): Promise<{ refused: string[] }>;
}

// --- Lifecycle (issue 5: expire, request, manual provisioning) ------------------------------------

/** One file of a commit a branch writer makes: the new content, or null to delete it. */
export interface FileChange {
  /** Repository-relative path with forward slashes. */
  path: string;
  content: string | null;
}

export interface BranchCommitRequest {
  branch: string;
  /** The commit the branch is rebuilt on (usually HEAD of the checkout). */
  base: string;
  changes: readonly FileChange[];
  message: string;
  /**
   * Commits already made for this branch (e.g. the remote's tip): reused when they hold the same change on
   * the same base. The branch's local tip is always considered.
   */
  reuse?: readonly string[];
  /** The time the commit carries as author and committer date: the run's clock (`--now`), not the wall clock. */
  date?: Date;
  /**
   * Never move a branch that holds other work: when the branch (locally, or a commit in `reuse`) exists and
   * does not already hold this change, nothing is written and the result says `taken`. Without it the
   * branch is rebuilt (the revocation branch is regenerated on every run).
   */
  keepExisting?: boolean;
}

export interface BranchCommit {
  sha: string;
  /** False when an existing commit already held exactly this change on this base. */
  created: boolean;
  /** With `keepExisting`: the branch already holds other work (its tip is `sha`) and was left as it is. */
  taken?: boolean;
}

/**
 * Commits on a branch of a local clone without touching its working tree or index, and publishes the
 * branch (adapter: `src/adapters/git/`). The working tree may be someone's work in progress.
 */
export interface BranchWriter {
  /** The commit the working tree is checked out at. */
  headCommit(): Promise<string>;
  /** The branch checked out, or undefined when HEAD is detached. */
  currentBranch(): Promise<string | undefined>;
  /** Rebuilds `branch` as one commit on `base`; undefined when the changes leave `base` as it is. */
  commitOnBranch(request: BranchCommitRequest): Promise<BranchCommit | undefined>;
  /** The branch's tip on the remote, fetched so its commit can be compared; undefined when it does not exist there. */
  fetchBranch(remote: string, branch: string): Promise<string | undefined>;
  /** Points the remote branch at `sha`, only if it is still at `expected` (undefined: it must not exist). */
  pushBranch(remote: string, branch: string, sha: string, expected: string | undefined): Promise<void>;
}

/** An open pull request as the lifecycle commands need it. */
export interface OpenPullRequest {
  number: number;
  url: string;
  title: string;
  body: string;
  headRef: string;
}

export interface IssueRecord {
  number: number;
  url: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
}

export interface NewIssue {
  title: string;
  body: string;
  labels: readonly string[];
  assignees: readonly string[];
}

/** Pull requests and issues the lifecycle opens and keeps up to date (adapters: `src/adapters/github/pulls.ts`, `issues.ts`). */
export interface LifecycleGitHub {
  readonly repo: RepoRef;
  /** The open pull request from `head` (a branch of this repository) into `base`, if any. */
  findOpenPullRequest(head: string, base: string): Promise<OpenPullRequest | undefined>;
  createPullRequest(request: { head: string; base: string; title: string; body: string }): Promise<OpenPullRequest>;
  updatePullRequest(number: number, update: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<void>;
  /** Every issue (open and closed, pull requests excluded) carrying the label. */
  listIssues(label: string): Promise<IssueRecord[]>;
  /** Creates the label when missing; the label marks what grantops opened, so later runs find it. */
  ensureLabel(name: string, description: string): Promise<void>;
  /** Opens an issue; assignees GitHub refuses are dropped (they are mentioned in the body anyway). */
  createIssue(issue: NewIssue): Promise<IssueRecord & { assignees: string[] }>;
  /** Comments on an issue or pull request. */
  comment(number: number, body: string): Promise<void>;
  /** Closes an issue as completed (what it asked for no longer needs doing). */
  closeIssue(number: number): Promise<void>;
}

// --- Notifications (issue 15) ---------------------------------------------------------------------

export type { NotificationRules };

/**
 * Tells people what happened (adapter: `src/adapters/notify/`). Use cases call it after the work is done
 * and whatever it returns: it never throws and never fails the run; each delivery's outcome is in the
 * report (for the job summary / log). Events already delivered (by an earlier run of the same job, or
 * an earlier webhook delivery) are not sent again.
 */
export interface Notifier {
  /** `ledger`: where this call's deliveries are remembered, when the caller keeps them itself (the app: in its pull request comment). */
  notify(events: readonly NotificationEvent[], rules: NotificationRules, ledger?: DeliveryLedger): Promise<NotificationReport>;
}

/** Which deliveries were made already, by any run that can see the same record (adapter: `src/adapters/notify/`). */
export interface DeliveryLedger {
  /** The keys of `keys` recorded as delivered. */
  findDelivered(keys: readonly string[]): Promise<Set<string>>;
  /** Records deliveries as made; a record that cannot be kept throws (the caller reports it). */
  recordDelivered(keys: readonly string[]): Promise<void>;
}

// --- Break-glass (issue 15) -----------------------------------------------------------------------

/** The commit that gave a file its current content on the branch (first parent), and when it landed. */
export interface GrantLanding {
  commit: string;
  committedAt: string;
  /** The commit's subject: GitHub's merge and squash subjects name the pull request. */
  subject: string;
}

/** Where grant files got their content (adapter: `src/adapters/git/grant-landings.ts`). */
export interface GrantLandings {
  /** The latest first-parent commits that changed each file, newest first (a few); files never changed are absent. */
  findLandings(files: readonly string[]): Promise<Map<string, GrantLanding[]>>;
}

// --- Level-triggered apply (issue 12) ----------------------------------------------------------------

/**
 * What the branch's own first-parent history says about who ever held a grant (adapter:
 * `src/adapters/git/grant-history.ts`): the facts plan and apply read, whichever door runs them.
 */
export interface GrantHistory {
  /** Null when the root is not in a git repository with commits (nothing to read). */
  readGrantHistory(dir: string): Promise<GrantHistoryFacts | null>;
  /** people.yaml versions by blob id, for the logins history names and people.yaml no longer does. */
  readBlobs(ids: readonly string[]): Promise<Map<string, Uint8Array | null>>;
}

export interface GrantHistoryFacts {
  /** Every grant file path first-parent history ever added under the access directory (root-relative). */
  grantPaths: string[];
  /** people.yaml's blob ids on first-parent history, newest first. */
  peopleVersions: string[];
  /** The decision notes on first-parent commits (their text): what earlier runs applied. */
  notes: { commit: string; text: string }[];
  /** True when the clone is shallow: history stops early and may miss former grants. */
  shallow: boolean;
}
