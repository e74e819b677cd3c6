import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { PullState, RepoState, ReviewState } from '../github-server/index.js';

/**
 * Webhook payloads from `@octokit/webhooks-examples` (GitHub's own recorded deliveries), edited only
 * where the test needs its own values (repository, SHAs, logins) or where the examples lack the event
 * (a `pull_request.edited`, an approving review).
 */
type Json = Record<string, any>;

interface ExampleGroup {
  name: string;
  examples: Json[];
}

const require = createRequire(import.meta.url);
const examples = JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples'), 'utf8')) as ExampleGroup[];

export const INSTALLATION_ID = 4242;

function example(event: string, action: string, fallbackAction?: string): Json {
  const group = examples.find((g) => g.name === event);
  const found = group?.examples.find((e) => e.action === action) ?? group?.examples.find((e) => e.action === fallbackAction);
  if (!found) throw new Error(`no example payload for ${event}.${action}`);
  return structuredClone(found);
}

function withRepository(payload: Json, repo: RepoState): Json {
  payload.installation = { id: INSTALLATION_ID, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==' };
  payload.repository = {
    ...payload.repository,
    id: repo.id,
    name: repo.name,
    full_name: repo.fullName,
    html_url: `https://github.example/${repo.fullName}`,
    owner: { ...payload.repository.owner, login: repo.owner.login, type: 'Organization' },
  };
  return payload;
}

function pullRequestJson(base: Json, pull: PullState, changedFiles?: number): Json {
  return {
    ...base,
    number: pull.number,
    state: pull.state,
    title: pull.title,
    user: { ...base.user, login: pull.author, type: pull.author.endsWith('[bot]') ? 'Bot' : 'User' },
    head: { ...base.head, sha: pull.head.sha, ref: pull.head.ref },
    base: { ...base.base, sha: pull.base.sha, ref: pull.base.ref },
    requested_reviewers: pull.requestedReviewers.map((login) => ({ login, type: 'User' })),
    merged: pull.merged !== undefined,
    merged_at: pull.merged?.at ?? null,
    merge_commit_sha: pull.merged?.commitSha ?? null,
    ...(changedFiles !== undefined ? { changed_files: changedFiles } : {}),
  };
}

/** `pull_request` opened / reopened / synchronize / edited (the examples have no `edited`: made from `opened`). */
export function pullRequestPayload(action: 'opened' | 'reopened' | 'synchronize' | 'edited', repo: RepoState, pull: PullState, options: { changedFiles?: number; changes?: Json; before?: string } = {}): Json {
  const payload = withRepository(example('pull_request', action, 'opened'), repo);
  payload.action = action;
  payload.number = pull.number;
  payload.pull_request = pullRequestJson(payload.pull_request, pull, options.changedFiles);
  if (action === 'edited') payload.changes = options.changes ?? { title: { from: 'an older title' } };
  if (action === 'synchronize') {
    payload.before = options.before ?? payload.before;
    payload.after = pull.head.sha;
  }
  return payload;
}

/** `pull_request.closed` for a pull request the stand-in server holds (merged when `mergePullRequest` merged it). */
export function closedPayload(repo: RepoState, pull: PullState): Json {
  const payload = withRepository(example('pull_request', 'closed'), repo);
  payload.action = 'closed';
  payload.number = pull.number;
  payload.pull_request = pullRequestJson(payload.pull_request, pull);
  return payload;
}

/** `pull_request_review` submitted / edited / dismissed for a review the stand-in server holds. */
export function reviewPayload(action: 'submitted' | 'edited' | 'dismissed', repo: RepoState, pull: PullState, review: ReviewState): Json {
  const payload = withRepository(example('pull_request_review', action, 'submitted'), repo);
  payload.action = action;
  payload.pull_request = pullRequestJson(payload.pull_request, pull);
  payload.review = {
    ...payload.review,
    id: review.id,
    user: { ...payload.review.user, login: review.user, type: review.user.endsWith('[bot]') ? 'Bot' : 'User' },
    state: review.state.toLowerCase(),
    commit_id: review.commitId,
    submitted_at: review.submittedAt,
  };
  if (action === 'edited') payload.changes = { body: { from: '' } };
  return payload;
}

/** `merge_group.checks_requested` for a queue entry of `pull` built as `headSha` on top of `baseSha`. */
export function mergeGroupPayload(repo: RepoState, pull: PullState, headSha: string, baseSha: string): Json {
  const payload = withRepository(example('merge_group', 'checks_requested'), repo);
  payload.merge_group = {
    ...payload.merge_group,
    head_sha: headSha,
    head_ref: `refs/heads/gh-readonly-queue/${pull.base.ref}/pr-${pull.number}-${pull.head.sha}`,
    base_sha: baseSha,
    base_ref: `refs/heads/${pull.base.ref}`,
  };
  return payload;
}

/** `check_run.rerequested` on the grantops check, with the pull request GitHub attaches (or none). */
export function checkRunRerequestedPayload(repo: RepoState, headSha: string, pull?: PullState, name = 'grantops'): Json {
  const payload = withRepository(example('check_run', 'rerequested'), repo);
  payload.check_run = {
    ...payload.check_run,
    name,
    head_sha: headSha,
    check_suite: { ...payload.check_run.check_suite, head_sha: headSha, head_branch: pull?.head.ref ?? 'somewhere' },
    pull_requests: pull
      ? [{ number: pull.number, head: { ref: pull.head.ref, sha: pull.head.sha, repo: {} }, base: { ref: pull.base.ref, sha: pull.base.sha, repo: {} } }]
      : [],
  };
  return payload;
}
