import { requireInstallation } from '../auth.js';
import { bodyObject, requireString, unprocessable, type ApiRequest, type Router } from '../http.js';
import type { GitHubState, RepoState } from '../state.js';
import { actingLogin } from '../user-tokens.js';
import { pullJson } from './pulls.js';
import { branchTip, refreshPullHeads } from './branches.js';

/** Opening and editing pull requests, as `grantops expire` and `grantops request` do. */
export function registerPullWrites(router: Router, state: GitHubState): void {
  const repoOf = (req: ApiRequest): RepoState => {
    requireInstallation(req.caller);
    return state.repository(req.params.owner!, req.params.repo!);
  };

  router.post('/repos/:owner/:repo/pulls', async (req) => {
    const repo = repoOf(req);
    await refreshPullHeads(repo);
    const body = bodyObject(req);
    const title = requireString(body, 'title');
    const headName = requireString(body, 'head');
    const base = requireString(body, 'base');
    // `owner:branch` names a branch of the owner's repository; only same-repository branches exist here.
    const [owner, branch] = headName.includes(':') ? headName.split(':', 2) as [string, string] : [repo.owner.login, headName];
    const invalid = (field: string) => unprocessable('Validation Failed', [{ resource: 'PullRequest', field, code: 'invalid' }]);
    if (owner.toLowerCase() !== repo.owner.login.toLowerCase()) throw invalid('head');
    const headSha = await branchTip(repo, branch);
    const baseSha = await branchTip(repo, base);
    if (!headSha) throw invalid('head');
    if (!baseSha) throw invalid('base');
    const duplicate = [...repo.pulls.values()].find((p) => p.state === 'open' && p.head.ref === branch && p.base.ref === base);
    if (duplicate) {
      throw unprocessable('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${repo.owner.login}:${branch}.` }]);
    }
    if ((await repo.git.diff(baseSha, headSha)).length === 0) {
      throw unprocessable('Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${branch}` }]);
    }
    const pull = state.openPullRequest(repo, {
      author: actingLogin(state, req),
      headSha,
      baseSha,
      headRef: branch,
      baseRef: base,
      title,
      body: typeof body.body === 'string' ? body.body : '',
    });
    return { status: 201, body: await pullJson(state, repo, pull) };
  });

  router.patch('/repos/:owner/:repo/pulls/:number', async (req) => {
    const repo = repoOf(req);
    await refreshPullHeads(repo);
    const pull = state.pull(repo, Number(req.params.number));
    const body = bodyObject(req);
    if (typeof body.title === 'string') pull.title = body.title;
    if (typeof body.body === 'string') pull.body = body.body;
    if (body.state !== undefined) {
      if (body.state !== 'open' && body.state !== 'closed') throw unprocessable('Validation Failed', [{ resource: 'PullRequest', field: 'state', code: 'invalid' }]);
      pull.state = body.state;
    }
    return { status: 200, body: await pullJson(state, repo, pull) };
  });
}
