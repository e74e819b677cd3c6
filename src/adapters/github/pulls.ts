import type { OpenPullRequest, RepoRef } from '../../ports.js';
import type { GitHubClient } from './github-client.js';

interface PullJson {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  head: { ref: string; repo?: { full_name?: string } | null };
}

function toOpenPullRequest(pull: PullJson): OpenPullRequest {
  return { number: pull.number, url: pull.html_url, title: pull.title, body: pull.body ?? '', headRef: pull.head.ref };
}

/**
 * The open pull request from a branch of this repository into `base`. GitHub filters by `head` itself;
 * the result is checked here too, so a fork's branch of the same name is never taken for ours.
 */
export async function findOpenPullRequest(client: GitHubClient, repo: RepoRef, head: string, base: string): Promise<OpenPullRequest | undefined> {
  const fullName = `${repo.owner}/${repo.repo}`.toLowerCase();
  for (let page = 1; ; page++) {
    const { data } = await client.rest.pulls.list({ ...repo, state: 'open', head: `${repo.owner}:${head}`, base, per_page: 100, page });
    const found = (data as PullJson[]).find((p) => p.head.ref === head && (p.head.repo?.full_name ?? fullName).toLowerCase() === fullName);
    if (found) return toOpenPullRequest(found);
    if (data.length < 100) return undefined;
  }
}

export async function createPullRequest(client: GitHubClient, repo: RepoRef, request: { head: string; base: string; title: string; body: string }): Promise<OpenPullRequest> {
  const { data } = await client.rest.pulls.create({ ...repo, ...request });
  return toOpenPullRequest(data as PullJson);
}

export async function updatePullRequest(client: GitHubClient, repo: RepoRef, number: number, update: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<void> {
  await client.rest.pulls.update({ ...repo, pull_number: number, ...update });
}
