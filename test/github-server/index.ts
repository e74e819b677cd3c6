import { createPublicKey, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { identifyCaller } from './auth.js';
import { ApiError, Router, type ApiRequest, type ApiResponse, type Caller } from './http.js';
import { registerApps } from './routes/apps.js';
import { registerBranches } from './routes/branches.js';
import { registerIssueRecords } from './routes/issue-records.js';
import { registerPullWrites } from './routes/pull-writes.js';
import { registerChecks } from './routes/checks.js';
import { registerGit } from './routes/git.js';
import { registerGraphql } from './routes/graphql.js';
import { registerIssues } from './routes/issues.js';
import { registerPulls } from './routes/pulls.js';
import { registerTeams } from './routes/teams.js';
import { GitHubState } from './state.js';

export { GitHubState } from './state.js';
export type { CheckRunState, CommentState, PullState, RepoState, ReviewState, ReviewStateName } from './state.js';

export interface GitHubServerOptions {
  appId?: number;
  appSlug?: string;
  /** The app's key (private or public, PEM or KeyObject): JWTs are verified against it. */
  appKey?: KeyObject | string;
  /** Bytes of blob text GraphQL returns before it truncates (GitHub cuts big files too). */
  blobTextLimit?: number;
}

export interface RecordedRequest {
  method: string;
  /** Without the `/api/v3` prefix; GraphQL is `/graphql`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

/** A failure to answer once instead of handling a request, to see how a client copes. */
export interface Fault {
  method: string;
  path: RegExp;
  status: number;
  message?: string;
}

/**
 * A stand-in for GitHub's REST and GraphQL APIs on 127.0.0.1: stateful, backed by a real git
 * repository for content, and recording every request so tests can assert behaviour and API budgets.
 * Each resource family lives in one module under `routes/`; a new family is one more `registerX`.
 */
export class GitHubServer {
  readonly state: GitHubState;
  readonly requests: RecordedRequest[] = [];
  private readonly faults: Fault[] = [];
  private readonly router = new Router();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private port = 0;

  constructor(options: GitHubServerOptions = {}) {
    const publicKey = options.appKey === undefined ? undefined : createPublicKey(options.appKey);
    this.state = new GitHubState({ id: options.appId ?? 1, slug: options.appSlug ?? 'grantops', publicKey });
    registerApps(this.router, this.state);
    registerPulls(this.router, this.state);
    registerChecks(this.router, this.state);
    registerIssues(this.router, this.state);
    registerGit(this.router, this.state);
    registerBranches(this.router, this.state);
    registerPullWrites(this.router, this.state);
    registerIssueRecords(this.router, this.state);
    registerTeams(this.router, this.state);
    registerGraphql(this.router, this.state, { blobTextLimit: options.blobTextLimit ?? 512 * 1024 });
  }

  /** `http://127.0.0.1:PORT`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What GitHub Enterprise clients use as their REST base (`GHE_HOST` + `GHE_PROTOCOL=http`). */
  get apiUrl(): string {
    return `${this.url}/api/v3`;
  }

  get host(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  clearRequests(): void {
    this.requests.length = 0;
  }

  /** Requests recorded since `from` (an index into `requests`), optionally filtered. */
  requestsSince(from: number, filter?: { method?: string; path?: RegExp }): RecordedRequest[] {
    return this.requests
      .slice(from)
      .filter((r) => (!filter?.method || r.method === filter.method) && (!filter?.path || filter.path.test(r.path)));
  }

  failNext(fault: Fault): void {
    this.faults.push(fault);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let prefix = '';
    let path = url.pathname;
    if (path.startsWith('/api/v3/') || path === '/api/v3') {
      prefix = '/api/v3';
      path = path.slice(prefix.length) || '/';
    } else if (path === '/api/graphql') {
      path = '/graphql';
    }
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    let body: unknown;
    let response: ApiResponse;
    try {
      body = raw === '' ? undefined : parseJson(raw);
      response = await this.respond(method, path, url.searchParams, body, req, `${this.url}${prefix}`);
    } catch (error) {
      response = errorResponse(error);
    }
    this.requests.push({ method, path, query: Object.fromEntries(url.searchParams), body, status: response.status });
    const payload = response.body === undefined ? '' : JSON.stringify(response.body);
    res.writeHead(response.status, { 'content-type': 'application/json; charset=utf-8', ...response.headers });
    res.end(payload);
  }

  private async respond(method: string, path: string, query: URLSearchParams, body: unknown, req: IncomingMessage, urlBase: string): Promise<ApiResponse> {
    const faultIndex = this.faults.findIndex((f) => f.method === method && f.path.test(path));
    if (faultIndex >= 0) {
      const [fault] = this.faults.splice(faultIndex, 1);
      throw new ApiError(fault!.status, fault!.message ?? 'Server Error');
    }
    const caller: Caller = identifyCaller(this.state, req.headers.authorization);
    const match = this.router.match(method, path);
    if (!match) throw new ApiError(404, 'Not Found');
    const request: ApiRequest = { method, path, query, params: match.params, body, headers: req.headers, urlBase, caller };
    return match.handler(request);
  }
}

export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubServer> {
  return new GitHubServer(options).start();
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ApiError(400, 'Problems parsing JSON');
  }
}

function errorResponse(error: unknown): ApiResponse {
  if (error instanceof ApiError) {
    return {
      status: error.status,
      body: { message: error.message, ...(error.errors ? { errors: error.errors } : {}), documentation_url: 'https://docs.github.com/rest', status: String(error.status) },
    };
  }
  return { status: 500, body: { message: error instanceof Error ? error.message : String(error) } };
}
