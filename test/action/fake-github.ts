import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakePull {
  number: number;
  /** Commits GitHub associates with the pull request (its own, and its merge commit once merged). */
  commits: string[];
  headSha: string;
  baseRef?: string;
  merged?: boolean;
}

export interface FakeCheckRun {
  name?: string;
  status?: string;
  conclusion: string | null;
  app?: string;
  /** The reporting app's id; the grantops app's (`GRANTOPS_APP_ID`) unless given. */
  appId?: number;
}

/** The id the stand-in gives the grantops app's check runs. */
export const GRANTOPS_APP_ID = 4242;

export interface SeenRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
}

/**
 * The two GitHub REST endpoints provenance reads, on 127.0.0.1: which pull requests a commit belongs to,
 * and the check runs on a commit. Records every request; `status` makes every answer an error.
 */
export class FakeGitHub {
  readonly requests: SeenRequest[] = [];
  private readonly pulls: FakePull[] = [];
  private readonly checks = new Map<string, FakeCheckRun[]>();
  status?: number;
  private server?: Server;

  addPull(pull: FakePull, checks: FakeCheckRun[] = []): void {
    this.pulls.push(pull);
    this.checks.set(pull.headSha, [...(this.checks.get(pull.headSha) ?? []), ...checks]);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization });
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(body));
      };
      if (this.status) return send(this.status, { message: 'Resource not accessible by integration' });
      let match = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]{40})\/pulls$/.exec(url.pathname);
      if (match) {
        const [, owner, repo, sha] = match;
        const pulls = this.pulls.filter((p) => p.commits.includes(sha!));
        return send(200, pulls.map((p) => ({
          number: p.number,
          html_url: `https://github.example/${owner}/${repo}/pull/${p.number}`,
          state: p.merged === false ? 'open' : 'closed',
          merged_at: p.merged === false ? null : '2026-11-20T10:00:00Z',
          base: { ref: p.baseRef ?? 'main' },
          head: { sha: p.headSha, ref: `request-${p.number}` },
        })));
      }
      match = /^\/repos\/[^/]+\/[^/]+\/commits\/([0-9a-f]{40})\/check-runs$/.exec(url.pathname);
      if (match) {
        const wanted = url.searchParams.get('check_name');
        const runs = (this.checks.get(match[1]!) ?? [])
          .map((run, i) => ({ id: i + 1, name: run.name ?? 'grantops', status: run.status ?? 'completed', conclusion: run.conclusion, app: { id: run.appId ?? GRANTOPS_APP_ID, slug: run.app ?? 'grantops' } }))
          .filter((run) => wanted === null || run.name === wanted);
        return send(200, { total_count: runs.length, check_runs: runs });
      }
      send(404, { message: 'Not Found' });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
