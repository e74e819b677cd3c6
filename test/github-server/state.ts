import type { KeyObject } from 'node:crypto';
import { GitStore } from './git-store.js';
import { notFound, unprocessable } from './http.js';

/**
 * Everything the stand-in GitHub remembers. Each resource family (pulls, checks, issues, ...) keeps its
 * records on the repository it belongs to; the routes in `routes/` read and change them, and tests
 * arrange them through the helpers here (open a pull request, submit a review) as a person on GitHub would.
 */
export interface UserState {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export type ReviewStateName = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface ReviewState {
  id: number;
  user: string;
  state: ReviewStateName;
  commitId: string;
  submittedAt: string;
  body: string;
}

export interface PullState {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  author: string;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  reviews: ReviewState[];
  /** Logins asked to review and not yet reviewing, in the order asked. */
  requestedReviewers: string[];
  createdAt: string;
  /** Set when the pull request was merged (it is closed then). */
  merged?: { at: string; by: string; commitSha: string };
}

export type CheckStatus = 'queued' | 'in_progress' | 'completed';

export interface AnnotationState {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'notice' | 'warning' | 'failure';
  message: string;
  title?: string;
  raw_details?: string;
}

export interface CheckRunState {
  id: number;
  name: string;
  headSha: string;
  status: CheckStatus;
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  annotations: AnnotationState[];
  appId: number;
}

export interface CommentState {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

/** An issue (not a pull request): the lifecycle's notices and manual-provisioning requests. */
export interface IssueState {
  number: number;
  title: string;
  body: string;
  state: 'open' | 'closed';
  author: string;
  labels: string[];
  assignees: string[];
  createdAt: string;
}

export interface LabelState {
  name: string;
  color: string;
  description: string;
}

export interface RepoState {
  id: number;
  owner: UserState;
  name: string;
  fullName: string;
  git: GitStore;
  defaultBranch: string;
  /** When set, review requests to anyone else are refused, as GitHub refuses non-collaborators. */
  collaborators?: Set<string>;
  pulls: Map<number, PullState>;
  checkRuns: Map<number, CheckRunState>;
  comments: Map<number, CommentState>;
  /** Issues share their numbers with pull requests, as on GitHub. */
  issues: Map<number, IssueState>;
  labels: Map<string, LabelState>;
  nextIssueNumber: number;
}

export interface AppState {
  id: number;
  slug: string;
  /** Verifies the app's JWTs; without it any well-formed JWT with the right `iss` is accepted. */
  publicKey?: KeyObject;
}

export interface InstallationState {
  id: number;
  account: string;
}

export class GitHubState {
  readonly users = new Map<string, UserState>();
  readonly repos = new Map<string, RepoState>();
  readonly installations = new Map<number, InstallationState>();
  readonly tokens = new Map<string, { installationId: number; expiresAt: number }>();
  /** Team members by `org/slug` (lower-cased). */
  readonly teams = new Map<string, string[]>();
  private lastId = 1000;
  private lastTime = 0;

  constructor(readonly app: AppState) {}

  nextId(): number {
    return ++this.lastId;
  }

  /** Now, strictly later than any time handed out before, so records order the way they were made. */
  timestamp(): string {
    this.lastTime = Math.max(Date.now(), this.lastTime + 1000);
    return new Date(this.lastTime).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  get botLogin(): string {
    return `${this.app.slug}[bot]`;
  }

  /** The account for a login, created on first mention; `…[bot]` logins are bots, as on GitHub. */
  user(login: string): UserState {
    let user = this.users.get(login);
    if (!user) {
      user = { login, id: this.nextId(), type: login.endsWith('[bot]') ? 'Bot' : 'User' };
      this.users.set(login, user);
    }
    return user;
  }

  /** Creates or replaces a team of the organisation `org`. */
  setTeam(org: string, slug: string, members: string[]): void {
    this.teams.set(`${org}/${slug}`.toLowerCase(), [...members]);
  }

  addInstallation(id: number, account: string): InstallationState {
    const installation = { id, account };
    this.installations.set(id, installation);
    return installation;
  }

  addRepository(options: { owner: string; name: string; gitDir: string; defaultBranch?: string; collaborators?: string[] }): RepoState {
    const repo: RepoState = {
      id: this.nextId(),
      owner: this.user(options.owner),
      name: options.name,
      fullName: `${options.owner}/${options.name}`,
      git: new GitStore(options.gitDir),
      defaultBranch: options.defaultBranch ?? 'main',
      collaborators: options.collaborators ? new Set(options.collaborators) : undefined,
      pulls: new Map(),
      checkRuns: new Map(),
      comments: new Map(),
      issues: new Map(),
      labels: new Map(),
      nextIssueNumber: 1,
    };
    this.repos.set(repo.fullName.toLowerCase(), repo);
    return repo;
  }

  repository(owner: string, name: string): RepoState {
    const repo = this.repos.get(`${owner}/${name}`.toLowerCase());
    if (!repo) throw notFound();
    return repo;
  }

  pull(repo: RepoState, number: number): PullState {
    const pull = repo.pulls.get(number);
    if (!pull) throw notFound();
    return pull;
  }

  openPullRequest(
    repo: RepoState,
    options: { author: string; headSha: string; baseSha: string; headRef?: string; baseRef?: string; title?: string; body?: string; number?: number },
  ): PullState {
    const number = options.number ?? repo.nextIssueNumber;
    repo.nextIssueNumber = Math.max(repo.nextIssueNumber, number + 1);
    this.user(options.author);
    const pull: PullState = {
      number,
      title: options.title ?? `Pull request ${number}`,
      body: options.body ?? '',
      state: 'open',
      author: options.author,
      head: { ref: options.headRef ?? `change-${number}`, sha: options.headSha },
      base: { ref: options.baseRef ?? repo.defaultBranch, sha: options.baseSha },
      reviews: [],
      requestedReviewers: [],
      createdAt: this.timestamp(),
    };
    repo.pulls.set(number, pull);
    return pull;
  }

  /** What the merge button does to the pull request (the test makes the merge commit itself). */
  mergePullRequest(pull: PullState, merge: { commitSha: string; by: string; at?: string }): PullState {
    pull.state = 'closed';
    pull.merged = { at: merge.at ?? this.timestamp(), by: merge.by, commitSha: merge.commitSha };
    pull.requestedReviewers = [];
    return pull;
  }

  /** A new push to the pull request's branch. */
  pushHead(pull: PullState, sha: string): void {
    pull.head.sha = sha;
  }

  /** A review as GitHub records it: on a commit (the head by default), removing its author's review request. */
  submitReview(pull: PullState, reviewer: string, state: ReviewStateName, options: { commitId?: string; body?: string; submittedAt?: string } = {}): ReviewState {
    if (reviewer === pull.author && (state === 'APPROVED' || state === 'CHANGES_REQUESTED')) {
      throw unprocessable('Unprocessable Entity', [`Can not ${state === 'APPROVED' ? 'approve' : 'request changes on'} your own pull request`]);
    }
    this.user(reviewer);
    const review: ReviewState = {
      id: this.nextId(),
      user: reviewer,
      state,
      commitId: options.commitId ?? pull.head.sha,
      submittedAt: options.submittedAt ?? this.timestamp(),
      body: options.body ?? '',
    };
    pull.reviews.push(review);
    pull.requestedReviewers = pull.requestedReviewers.filter((login) => login !== reviewer);
    return review;
  }

  dismissReview(pull: PullState, reviewId: number): ReviewState {
    const review = pull.reviews.find((r) => r.id === reviewId);
    if (!review) throw notFound();
    if (review.state !== 'APPROVED' && review.state !== 'CHANGES_REQUESTED') {
      throw unprocessable('Can not dismiss a commented pull request review');
    }
    review.state = 'DISMISSED';
    return review;
  }
}
