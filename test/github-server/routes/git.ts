import { requireInstallation } from '../auth.js';
import { notFound, unprocessable, type ApiRequest, type Router } from '../http.js';
import type { GitHubState, RepoState } from '../state.js';

/** Repository content at any commit, read from the real git repository: blobs, trees, commits, contents. */
export function registerGit(router: Router, state: GitHubState): void {
  const repoOf = (req: ApiRequest): RepoState => {
    requireInstallation(req.caller);
    return state.repository(req.params.owner!, req.params.repo!);
  };

  router.get('/repos/:owner/:repo/git/blobs/:sha', async (req) => {
    const repo = repoOf(req);
    const object = await repo.git.readObject(req.params.sha!);
    if (object?.type !== 'blob') throw notFound();
    return { status: 200, body: { sha: object.oid, size: object.content.length, encoding: 'base64', content: object.content.toString('base64') } };
  });

  router.get('/repos/:owner/:repo/git/trees/:sha', async (req) => {
    const repo = repoOf(req);
    const root = await repo.git.readObject(`${req.params.sha}^{tree}`);
    if (!root) throw notFound();
    const recursive = req.query.has('recursive') && req.query.get('recursive') !== '0' && req.query.get('recursive') !== 'false';
    const entries = recursive
      ? (await repo.git.listFiles(root.oid)).map((f) => ({ path: f.path, mode: f.mode, type: f.type, sha: f.oid }))
      : ((await repo.git.readTree(root.oid)) ?? []).map((e) => ({ path: e.name, mode: e.mode, type: e.type, sha: e.oid }));
    return { status: 200, body: { sha: root.oid, tree: entries, truncated: false } };
  });

  router.get('/repos/:owner/:repo/commits/:ref', async (req) => {
    const repo = repoOf(req);
    const commit = await repo.git.readCommit(req.params.ref!);
    if (!commit) throw unprocessable(`No commit found for SHA: ${req.params.ref}`);
    return {
      status: 200,
      body: { sha: commit.oid, commit: { message: commit.message, tree: { sha: commit.tree } }, parents: commit.parents.map((sha) => ({ sha })) },
    };
  });

  router.get('/repos/:owner/:repo/git/commits/:sha', async (req) => {
    const repo = repoOf(req);
    const commit = await repo.git.readCommit(req.params.sha!);
    if (!commit) throw notFound();
    return { status: 200, body: { sha: commit.oid, message: commit.message, tree: { sha: commit.tree }, parents: commit.parents.map((sha) => ({ sha })) } };
  });

  router.get('/repos/:owner/:repo/contents/*path', async (req) => {
    const repo = repoOf(req);
    const ref = req.query.get('ref') ?? repo.defaultBranch;
    const path = req.params.path!.replace(/\/+$/, '');
    const object = await repo.git.readObject(`${ref}:${path}`);
    if (!object) throw notFound();
    if (object.type === 'tree') {
      const entries = (await repo.git.readTree(object.oid)) ?? [];
      return {
        status: 200,
        body: entries.map((e) => ({ type: e.type === 'tree' ? 'dir' : 'file', name: e.name, path: `${path}/${e.name}`, sha: e.oid })),
      };
    }
    return {
      status: 200,
      body: {
        type: 'file',
        encoding: 'base64',
        name: path.split('/').pop(),
        path,
        sha: object.oid,
        size: object.content.length,
        content: object.content.toString('base64'),
      },
    };
  });
}
