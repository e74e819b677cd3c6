import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import grantopsApp, { defaultDeps } from '../../src/app.js';
import { pullRequestPayload, INSTALLATION_ID } from '../app/payloads.js';
import { generateAppKey } from '../github-server/app-key.js';
import { startGitHubServer, type GitHubServer, type PullState, type RepoState } from '../github-server/index.js';

const APP_ID = 77;
const SECRET = 'lifecycle-webhook-secret';

/**
 * The grantops app in front of the stand-in GitHub, serving the bare repository a lifecycle test pushes
 * to: pull requests the CLI opens are judged by the real app, from a signed webhook.
 */
export class LifecycleApp {
  private constructor(
    readonly server: GitHubServer,
    readonly repo: RepoState,
    private readonly http: Server,
    private readonly url: string,
  ) {}

  static async start(bare: string, now: Date, collaborators: string[]): Promise<LifecycleApp> {
    const key = generateAppKey();
    const server = await startGitHubServer({ appId: APP_ID, appKey: key });
    server.state.addInstallation(INSTALLATION_ID, 'acme');
    const repo = server.state.addRepository({ owner: 'acme', name: 'access', gitDir: bare, collaborators });
    const probot = new Probot({
      appId: APP_ID,
      privateKey: key,
      secret: SECRET,
      baseUrl: server.apiUrl,
      logLevel: 'fatal',
      Octokit: ProbotOctokit.defaults((options: Record<string, unknown>) => ({ ...options, throttle: { ...(options.throttle as object), enabled: false }, retry: { enabled: false } })),
    });
    const deps = { ...defaultDeps({ GRANTOPS_ACCESS_DIR: 'access' }), now: () => now };
    const middleware = await createNodeMiddleware((app, options) => grantopsApp(app, options, deps), { probot });
    const http = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', () => resolve()));
    return new LifecycleApp(server, repo, http, `http://127.0.0.1:${(http.address() as AddressInfo).port}/api/github/webhooks`);
  }

  get installationId(): number {
    return INSTALLATION_ID;
  }

  /** GitHub's `pull_request.opened` for a pull request the stand-in holds, signed and delivered. */
  async deliverOpened(pull: PullState): Promise<number> {
    const body = JSON.stringify(pullRequestPayload('opened', this.repo, pull, { changedFiles: 1 }));
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    await response.text();
    return response.status;
  }

  latestCheck(sha: string) {
    return [...this.repo.checkRuns.values()].filter((r) => r.headSha === sha && r.name === 'grantops').pop();
  }

  async close(): Promise<void> {
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
    await this.server.close();
  }
}
