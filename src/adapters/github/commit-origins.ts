import type { Octokit } from '@octokit/rest';
import type { CheckRunOrigin, CommitOrigin, PullRequestOrigin } from '../../core/provenance/push-snapshot.js';
import { createRestClient } from './rest-client.js';

export interface CommitOriginsOptions {
  token: string;
  /** `owner/name`. */
  repository: string;
  /** The REST API root, e.g. `https://api.github.com` or a GitHub Enterprise Server's `/api/v3`. */
  baseUrl?: string;
  /** The check run name the grantops app reports. */
  checkName: string;
  /** Requests in flight at once. */
  concurrency?: number;
}

/**
 * Fetches, for each commit, the pull requests GitHub associates with it and, for each of those, the
 * latest check runs of the grantops check on the pull request's final head commit. Eager and plain:
 * the provenance rule judges the result without calling GitHub.
 */
export class GitHubCommitOrigins {
  private readonly octokit: Octokit;
  private readonly owner: string;
  private readonly repo: string;
  private readonly checksBySha = new Map<string, Promise<CheckRunOrigin[]>>();

  constructor(private readonly options: CommitOriginsOptions) {
    const { octokit, repo } = createRestClient({ ...options, userAgent: 'grantops-action' });
    this.owner = repo.owner;
    this.repo = repo.repo;
    this.octokit = octokit;
  }

  async findCommitOrigins(shas: readonly string[]): Promise<Record<string, CommitOrigin>> {
    const unique = [...new Set(shas)];
    const origins = await mapLimit(unique, this.options.concurrency ?? 4, (sha) => this.findCommitOrigin(sha));
    return Object.fromEntries(origins.map((origin) => [origin.sha, origin]));
  }

  private async findCommitOrigin(sha: string): Promise<CommitOrigin> {
    const pulls = await this.call(`GET /repos/${this.owner}/${this.repo}/commits/${sha}/pulls`, () =>
      this.octokit.paginate(this.octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
        owner: this.owner,
        repo: this.repo,
        commit_sha: sha,
        per_page: 100,
      }),
    );
    const pullRequests: PullRequestOrigin[] = [];
    for (const pr of pulls) {
      pullRequests.push({
        number: pr.number,
        url: pr.html_url,
        mergedAt: pr.merged_at ?? null,
        baseRef: pr.base.ref,
        headSha: pr.head.sha,
        checkRuns: await this.findCheckRuns(pr.head.sha),
      });
    }
    return { sha, pullRequests };
  }

  private findCheckRuns(sha: string): Promise<CheckRunOrigin[]> {
    let found = this.checksBySha.get(sha);
    if (!found) {
      found = this.call(`GET /repos/${this.owner}/${this.repo}/commits/${sha}/check-runs`, async () => {
        const runs = await this.octokit.paginate(this.octokit.rest.checks.listForRef, {
          owner: this.owner,
          repo: this.repo,
          ref: sha,
          check_name: this.options.checkName,
          filter: 'latest',
          per_page: 100,
        });
        return runs.map((run) => ({
          name: run.name,
          status: run.status,
          conclusion: run.conclusion ?? null,
          ...(run.app?.slug ? { app: run.app.slug } : {}),
          ...(typeof run.app?.id === 'number' ? { appId: run.app.id } : {}),
        }));
      });
      this.checksBySha.set(sha, found);
    }
    return found;
  }

  /** A refused request stops the run: provenance that cannot be read is provenance not confirmed. */
  private async call<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const status = (error as { status?: number }).status;
      const hint = status === 401 || status === 403 || status === 404
        ? ' (the github-token needs contents: read, pull-requests: read and checks: read on this repository)'
        : '';
      throw new Error(`GitHub ${what} failed${status ? ` with ${status}` : ''}: ${error instanceof Error ? error.message : String(error)}${hint}`);
    }
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  return results;
}
