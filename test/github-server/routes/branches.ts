import { requireInstallation } from '../auth.js';
import { notFound, type ApiRequest, type Router } from '../http.js';
import type { GitHubState, RepoState } from '../state.js';

/** The commit a branch of the repository points at now, or undefined when there is no such branch. */
export async function branchTip(repo: RepoState, branch: string): Promise<string | undefined> {
  if (branch === '' || branch.startsWith('-') || branch.includes('..')) return undefined;
  return (await repo.git.readCommit(`refs/heads/${branch}`))?.oid;
}

/**
 * A push moves a branch; GitHub moves the head of every open pull request from that branch with it.
 * The stand-in reads pushes from the git repository, so it catches up here, before answering.
 */
export async function refreshPullHeads(repo: RepoState): Promise<void> {
  for (const pull of repo.pulls.values()) {
    if (pull.state !== 'open') continue;
    const tip = await branchTip(repo, pull.head.ref);
    if (tip) pull.head.sha = tip;
  }
}

/** Branches, read from the real git repository (the bare remote the tests push to). */
export function registerBranches(router: Router, state: GitHubState): void {
  const repoOf = (req: ApiRequest): RepoState => {
    requireInstallation(req.caller);
    return state.repository(req.params.owner!, req.params.repo!);
  };

  router.get('/repos/:owner/:repo/branches/*branch', async (req) => {
    const repo = repoOf(req);
    const sha = await branchTip(repo, req.params.branch!);
    if (!sha) throw notFound();
    return { status: 200, body: { name: req.params.branch, commit: { sha }, protected: false } };
  });

  router.get('/repos/:owner/:repo/git/ref/*ref', async (req) => {
    const repo = repoOf(req);
    const ref = req.params.ref!;
    if (!ref.startsWith('heads/')) throw notFound();
    const sha = await branchTip(repo, ref.slice('heads/'.length));
    if (!sha) throw notFound();
    return { status: 200, body: { ref: `refs/${ref}`, object: { sha, type: 'commit' } } };
  });
}
