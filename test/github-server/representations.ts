import type { GitHubState, RepoState } from './state.js';

/** The JSON shapes shared by every resource family: accounts and repositories, as the REST API writes them. */
export function userJson(state: GitHubState, login: string): Record<string, unknown> {
  const user = state.user(login);
  return {
    login: user.login,
    id: user.id,
    node_id: Buffer.from(`04:User${user.id}`).toString('base64'),
    type: user.type,
    site_admin: false,
  };
}

export function repoJson(state: GitHubState, repo: RepoState): Record<string, unknown> {
  return {
    id: repo.id,
    name: repo.name,
    full_name: repo.fullName,
    private: false,
    owner: userJson(state, repo.owner.login),
    default_branch: repo.defaultBranch,
  };
}
