import { requireInstallation } from '../auth.js';
import { bodyObject, notFound, paginate, requireString, unprocessable, type ApiRequest, type Router } from '../http.js';
import { userJson } from '../representations.js';
import type { CommentState, GitHubState, RepoState } from '../state.js';

/** GitHub refuses comment bodies longer than this. */
export const COMMENT_BODY_LIMIT = 65536;

/** Issue comments (pull requests are issues too): list, create, read, edit, delete. Written by the app's bot account. */
export function registerIssues(router: Router, state: GitHubState): void {
  const repoOf = (req: ApiRequest): RepoState => {
    requireInstallation(req.caller);
    return state.repository(req.params.owner!, req.params.repo!);
  };
  const commentOf = (req: ApiRequest): [RepoState, CommentState] => {
    const repo = repoOf(req);
    const comment = repo.comments.get(Number(req.params.id));
    if (!comment) throw notFound();
    return [repo, comment];
  };
  const checkedBody = (req: ApiRequest): string => {
    const body = requireString(bodyObject(req), 'body');
    if (body.length > COMMENT_BODY_LIMIT) throw unprocessable(`Validation Failed: body is too long (maximum is ${COMMENT_BODY_LIMIT} characters)`);
    return body;
  };

  router.get('/repos/:owner/:repo/issues/:number/comments', (req) => {
    const repo = repoOf(req);
    const number = Number(req.params.number);
    if (!repo.pulls.has(number) && !repo.issues.has(number)) throw notFound();
    const comments = [...repo.comments.values()].filter((c) => c.issueNumber === number);
    return paginate(req, comments.map((c) => commentJson(state, repo, c)));
  });

  router.post('/repos/:owner/:repo/issues/:number/comments', (req) => {
    const repo = repoOf(req);
    const number = Number(req.params.number);
    if (!repo.pulls.has(number) && !repo.issues.has(number)) throw notFound();
    const now = state.timestamp();
    const comment: CommentState = { id: state.nextId(), issueNumber: number, body: checkedBody(req), user: state.botLogin, createdAt: now, updatedAt: now };
    repo.comments.set(comment.id, comment);
    return { status: 201, body: commentJson(state, repo, comment) };
  });

  router.get('/repos/:owner/:repo/issues/comments/:id', (req) => {
    const [repo, comment] = commentOf(req);
    return { status: 200, body: commentJson(state, repo, comment) };
  });

  router.patch('/repos/:owner/:repo/issues/comments/:id', (req) => {
    const [repo, comment] = commentOf(req);
    comment.body = checkedBody(req);
    comment.updatedAt = state.timestamp();
    return { status: 200, body: commentJson(state, repo, comment) };
  });

  router.delete('/repos/:owner/:repo/issues/comments/:id', (req) => {
    const [repo, comment] = commentOf(req);
    repo.comments.delete(comment.id);
    return { status: 204 };
  });
}

function commentJson(state: GitHubState, repo: RepoState, comment: CommentState): Record<string, unknown> {
  return {
    id: comment.id,
    body: comment.body,
    user: userJson(state, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    html_url: `https://github.example/${repo.fullName}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
  };
}
