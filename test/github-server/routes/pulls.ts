import { requireInstallation } from '../auth.js';
import { ApiError, bodyObject, paginate, unprocessable, type ApiRequest, type Router } from '../http.js';
import { repoJson, userJson } from '../representations.js';
import type { GitHubState, PullState, RepoState, ReviewState, ReviewStateName } from '../state.js';

/** GitHub lists at most this many files of a pull request, however many it changes. */
export const PULL_FILES_CAP = 3000;

/** Pull requests: the pull itself, its files, its reviews and its review requests. */
export function registerPulls(router: Router, state: GitHubState): void {
  const pullOf = (req: ApiRequest): [RepoState, PullState] => {
    requireInstallation(req.caller);
    const repo = state.repository(req.params.owner!, req.params.repo!);
    return [repo, state.pull(repo, Number(req.params.number))];
  };

  router.get('/repos/:owner/:repo/pulls/:number', async (req) => {
    const [repo, pull] = pullOf(req);
    return { status: 200, body: await pullJson(state, repo, pull) };
  });

  router.get('/repos/:owner/:repo/pulls', async (req) => {
    requireInstallation(req.caller);
    const repo = state.repository(req.params.owner!, req.params.repo!);
    const wanted = req.query.get('state') ?? 'open';
    const pulls = [...repo.pulls.values()].filter((p) => wanted === 'all' || p.state === wanted).reverse();
    return paginate(req, await Promise.all(pulls.map((p) => pullJson(state, repo, p))));
  });

  router.get('/repos/:owner/:repo/pulls/:number/files', async (req) => {
    const [repo, pull] = pullOf(req);
    const entries = (await repo.git.diff(pull.base.sha, pull.head.sha)).slice(0, PULL_FILES_CAP);
    const files = entries.map((e) => ({
      sha: e.oid,
      filename: e.path,
      status: e.status,
      additions: 0,
      deletions: 0,
      changes: 0,
      ...(e.previousPath ? { previous_filename: e.previousPath } : {}),
    }));
    return paginate(req, files);
  });

  router.get('/repos/:owner/:repo/pulls/:number/reviews', (req) => {
    const [, pull] = pullOf(req);
    return paginate(req, pull.reviews.map((r) => reviewJson(state, pull, r)));
  });

  router.post('/repos/:owner/:repo/pulls/:number/reviews', (req) => {
    const [, pull] = pullOf(req);
    const body = bodyObject(req);
    const event = String(body.event ?? 'COMMENT');
    const states: Record<string, ReviewStateName> = { APPROVE: 'APPROVED', REQUEST_CHANGES: 'CHANGES_REQUESTED', COMMENT: 'COMMENTED' };
    const reviewState = states[event];
    if (!reviewState) throw unprocessable(`Invalid event "${event}"`);
    const review = state.submitReview(pull, state.botLogin, reviewState, {
      commitId: typeof body.commit_id === 'string' ? body.commit_id : undefined,
      body: typeof body.body === 'string' ? body.body : '',
    });
    return { status: 200, body: reviewJson(state, pull, review) };
  });

  router.put('/repos/:owner/:repo/pulls/:number/reviews/:id/dismissals', (req) => {
    const [, pull] = pullOf(req);
    return { status: 200, body: reviewJson(state, pull, state.dismissReview(pull, Number(req.params.id))) };
  });

  router.get('/repos/:owner/:repo/pulls/:number/requested_reviewers', (req) => {
    const [, pull] = pullOf(req);
    return { status: 200, body: { users: pull.requestedReviewers.map((l) => userJson(state, l)), teams: [] } };
  });

  router.post('/repos/:owner/:repo/pulls/:number/requested_reviewers', async (req) => {
    const [repo, pull] = pullOf(req);
    const reviewers = bodyObject(req).reviewers;
    if (!Array.isArray(reviewers) || reviewers.some((r) => typeof r !== 'string')) {
      throw unprocessable('Invalid request.\n\n"reviewers" must be a list of logins.');
    }
    for (const login of reviewers as string[]) {
      if (login === pull.author) throw unprocessable('Review cannot be requested from pull request author.');
      if (repo.collaborators && !repo.collaborators.has(login)) {
        throw unprocessable('Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the repository.');
      }
    }
    for (const login of reviewers as string[]) {
      if (!pull.requestedReviewers.includes(login)) pull.requestedReviewers.push(login);
    }
    return { status: 201, body: await pullJson(state, repo, pull) };
  });

  router.delete('/repos/:owner/:repo/pulls/:number/requested_reviewers', async (req) => {
    const [repo, pull] = pullOf(req);
    const reviewers = bodyObject(req).reviewers;
    const removed = new Set(Array.isArray(reviewers) ? reviewers : []);
    pull.requestedReviewers = pull.requestedReviewers.filter((l) => !removed.has(l));
    return { status: 200, body: await pullJson(state, repo, pull) };
  });

  router.get('/repos/:owner/:repo/commits/:sha/pulls', async (req) => {
    requireInstallation(req.caller);
    const repo = state.repository(req.params.owner!, req.params.repo!);
    const pulls = [...repo.pulls.values()].filter((p) => p.head.sha === req.params.sha);
    return paginate(req, await Promise.all(pulls.map((p) => pullJson(state, repo, p))));
  });
}

export async function pullJson(state: GitHubState, repo: RepoState, pull: PullState): Promise<Record<string, unknown>> {
  if (!(await repo.git.hasCommit(pull.head.sha))) throw new ApiError(500, `head ${pull.head.sha} is not in the repository`);
  const changedFiles = (await repo.git.diff(pull.base.sha, pull.head.sha)).length;
  const ref = (side: { ref: string; sha: string }) => ({
    label: `${repo.owner.login}:${side.ref}`,
    ref: side.ref,
    sha: side.sha,
    user: userJson(state, repo.owner.login),
    repo: repoJson(state, repo),
  });
  return {
    id: repo.id * 100000 + pull.number,
    number: pull.number,
    state: pull.state,
    title: pull.title,
    body: pull.body,
    user: userJson(state, pull.author),
    draft: false,
    merged: pull.merged !== undefined,
    merged_at: pull.merged?.at ?? null,
    merge_commit_sha: pull.merged?.commitSha ?? null,
    merged_by: pull.merged ? userJson(state, pull.merged.by) : null,
    created_at: pull.createdAt,
    head: ref(pull.head),
    base: ref(pull.base),
    requested_reviewers: pull.requestedReviewers.map((l) => userJson(state, l)),
    requested_teams: [],
    changed_files: changedFiles,
    html_url: `https://github.example/${repo.fullName}/pull/${pull.number}`,
  };
}

function reviewJson(state: GitHubState, pull: PullState, review: ReviewState): Record<string, unknown> {
  return {
    id: review.id,
    user: userJson(state, review.user),
    body: review.body,
    state: review.state,
    commit_id: review.commitId,
    submitted_at: review.submittedAt,
    pull_request_url: `/pulls/${pull.number}`,
  };
}
