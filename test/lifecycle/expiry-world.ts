import { join } from 'node:path';
import type { GitHubServer, RepoState } from '../github-server/index.js';
import { issueUserToken } from '../github-server/user-tokens.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';
import { ORG_FILES, writeState, type Holdings, type StateExtras } from './lifecycle-org.js';

/** What an expire run in these tests works in: the clone, its GitHub repository, the bot's env, the account. */
export interface ExpiryWorld {
  fx: GitFixture;
  repo: RepoState;
  env: Record<string, string>;
  state: string;
}

/**
 * The example org plus `files` in a real clone with a bare remote, served by `server` as acme/access, and
 * an account state holding `holdings`: what a scheduled expire workflow run starts from.
 */
export async function createExpiryWorld(server: GitHubServer, files: Record<string, string>, holdings: Holdings, extras: StateExtras = {}): Promise<ExpiryWorld> {
  const fx = await createGitFixture({ ...ORG_FILES, ...files });
  const repo = server.state.addRepository({ owner: 'acme', name: 'access', gitDir: fx.bare, collaborators: ['owner', 'mgr', 'dev', 'dev2', 'res-owner', 'finance'] });
  const env = { GITHUB_TOKEN: issueUserToken(server.state, 'github-actions[bot]', 1), GITHUB_API_URL: server.apiUrl, GITHUB_REPOSITORY: 'acme/access' };
  const state = join(fx.root, 'aws-state.json');
  await writeState(state, holdings, extras);
  return { fx, repo, env, state };
}
