import { GitHubLifecycle } from '../adapters/github/lifecycle-github.js';
import { readRemoteRepository } from '../adapters/git/repository-root.js';
import type { LifecycleGitHub } from '../ports.js';

export { openCheckout, type Checkout } from '../adapters/git/open-checkout.js';

export interface GitHubChoice {
  repo?: string;
  remote: string;
}

/**
 * The GitHub connection for `--open-pr`: the token from GITHUB_TOKEN (or GH_TOKEN), the API from
 * GITHUB_API_URL (GitHub Enterprise Server), the repository from --repo, GITHUB_REPOSITORY or the
 * remote's URL. Throws a message naming what is missing.
 */
export async function connectGitHub(root: string, choice: GitHubChoice, env: NodeJS.ProcessEnv): Promise<LifecycleGitHub> {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token) throw new Error('--open-pr needs a GitHub token in GITHUB_TOKEN (or GH_TOKEN), e.g. GITHUB_TOKEN=$(gh auth token)');
  const repository = choice.repo ?? env.GITHUB_REPOSITORY ?? (await readRemoteRepository(root, choice.remote));
  if (!repository) throw new Error(`cannot tell the GitHub repository: pass --repo OWNER/NAME (the remote "${choice.remote}" is not a GitHub URL)`);
  return GitHubLifecycle.fromToken({ token, repository, baseUrl: env.GITHUB_API_URL || undefined });
}
