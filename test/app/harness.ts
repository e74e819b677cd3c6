import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, createProbot, ProbotOctokit } from 'probot';
import grantopsApp, { defaultDeps, type AppDeps } from '../../src/app.js';
import { generateAppKey } from '../github-server/app-key.js';
import { startGitHubServer, type GitHubServer, type PullState, type RepoState } from '../github-server/index.js';
import { TestRepo } from '../github-server/test-repo.js';
import { INSTALLATION_ID } from './payloads.js';

export const APP_ID = 1234;
export const WEBHOOK_SECRET = 'test-webhook-secret';

export interface HarnessOptions {
  now?: Date;
  dir?: string;
  /** Logins the repository lets review; others are refused as GitHub refuses non-collaborators. */
  collaborators?: string[];
  /** More of the app's environment (e.g. the secrets notification channels name). */
  env?: Record<string, string>;
}

/**
 * The app as GitHub runs it, on 127.0.0.1: Probot's node middleware verifying signed webhooks, its
 * octokit pointed at the stand-in GitHub server, which serves a real git repository made by the test.
 */
export class AppHarness {
  private constructor(
    readonly server: GitHubServer,
    readonly repo: TestRepo,
    readonly repoState: RepoState,
    readonly deps: AppDeps,
    private readonly http: Server,
    readonly webhookUrl: string,
  ) {}

  static async start(options: HarnessOptions = {}): Promise<AppHarness> {
    const privateKey = generateAppKey();
    const server = await startGitHubServer({ appId: APP_ID, appKey: privateKey });
    server.state.addInstallation(INSTALLATION_ID, 'vandelay');
    const repo = await TestRepo.create();
    const repoState = server.state.addRepository({
      owner: 'vandelay',
      name: 'access',
      gitDir: repo.dir,
      ...(options.collaborators ? { collaborators: options.collaborators } : {}),
    });
    const now = options.now ?? new Date('2026-06-01T00:00:00Z');
    const deps: AppDeps = { ...defaultDeps({ GRANTOPS_ACCESS_DIR: options.dir ?? 'access', APP_ID: String(APP_ID), ...options.env }), now: () => now };
    // Configured the way `npm start` is, from the environment: GHE_HOST with GHE_PROTOCOL=http sends every
    // API call to the stand-in server.
    const probot = createProbot({
      env: { APP_ID: String(APP_ID), PRIVATE_KEY: privateKey, WEBHOOK_SECRET, GHE_HOST: server.host, GHE_PROTOCOL: 'http', LOG_LEVEL: 'fatal' },
      overrides: {
        // Tests count requests exactly: no client-side retries, no one-second spacing of writes.
        Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, throttle: { ...(options.throttle as object), enabled: false }, retry: { enabled: false } })),
      },
    });
    const middleware = await createNodeMiddleware((app, appOptions) => grantopsApp(app, appOptions, deps), { probot });
    const http = createServer((req, res) => {
      void middleware(req, res, () => res.writeHead(404).end());
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    const webhookUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/github/webhooks`;
    return new AppHarness(server, repo, repoState, deps, http, webhookUrl);
  }

  /** POSTs a webhook signed with the app's secret (or the given signature) and returns the HTTP status. */
  async deliver(event: string, payload: object, options: { signature?: string; id?: string } = {}): Promise<number> {
    const body = JSON.stringify(payload);
    const signature = options.signature ?? `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`;
    const response = await fetch(this.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': options.id ?? randomUUID(), 'x-hub-signature-256': signature },
      body,
    });
    await response.text();
    return response.status;
  }

  /** A pull request on a branch off `base` whose one commit writes (or, null, removes) `files`. */
  async openPullRequest(author: string, base: string, files: Record<string, string | null>, options: { branch?: string } = {}): Promise<PullState> {
    const branch = options.branch ?? `change-${this.repoState.nextIssueNumber}`;
    await this.repo.branch(branch, base);
    const head = await this.repo.commit(files, `${author}: change`);
    return this.server.state.openPullRequest(this.repoState, { author, headSha: head, baseSha: base, headRef: branch });
  }

  /** Another commit on the pull request's branch. */
  async push(pull: PullState, files: Record<string, string | null>): Promise<string> {
    await this.repo.checkout(pull.head.ref);
    const sha = await this.repo.commit(files, 'another change');
    this.server.state.pushHead(pull, sha);
    return sha;
  }

  checkRuns(sha?: string) {
    return [...this.repoState.checkRuns.values()].filter((r) => sha === undefined || r.headSha === sha);
  }

  /** The run GitHub shows for a commit: the latest of that name. */
  latestCheck(sha: string) {
    const runs = this.checkRuns(sha).filter((r) => r.name === 'grantops');
    return runs[runs.length - 1];
  }

  comments(pull: PullState) {
    return [...this.repoState.comments.values()].filter((c) => c.issueNumber === pull.number);
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    await this.server.close();
    await this.repo.remove();
  }
}
