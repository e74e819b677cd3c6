import { Octokit } from '@octokit/rest';
import type { RepoRef } from '../../ports.js';

export interface RestClientOptions {
  token: string;
  /** `owner/name`. */
  repository: string;
  /** The REST API root: `https://api.github.com` by default, or a GitHub Enterprise Server's `/api/v3`. */
  baseUrl?: string;
  userAgent?: string;
}

export function parseRepository(repository: string): RepoRef {
  const [owner, repo, extra] = repository.split('/');
  if (!owner || !repo || extra !== undefined) throw new Error(`repository "${repository}" is not owner/name`);
  return { owner, repo };
}

/** A quiet REST client for one repository, as the Action and the CLI use outside Probot. */
export function createRestClient(options: RestClientOptions): { octokit: Octokit; repo: RepoRef } {
  const repo = parseRepository(options.repository);
  const octokit = new Octokit({
    auth: options.token,
    ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/$/, '') } : {}),
    userAgent: options.userAgent ?? 'grantops',
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return { octokit, repo };
}
