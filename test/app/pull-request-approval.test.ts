import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppHarness } from './harness.js';
import { baseOrgFiles, grant, grantPath } from './fixtures.js';
import { pullRequestPayload, reviewPayload } from './payloads.js';
import type { PullState } from '../github-server/index.js';

/**
 * One pull request through its life, as GitHub would deliver it: opened, reviewed, pushed to again.
 * The steps build on each other, so they run in order within this suite.
 */
let h: AppHarness;
let base: string;
let pull: PullState;

beforeAll(async () => {
  h = await AppHarness.start();
  base = await h.repo.commit(baseOrgFiles(), 'the organisation');
  // dev asks for prod-db (high: the manager, mgr, and an owner of the resource, res-owner).
  pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'prod-db')]: grant('dev', 'prod-db') });
});

afterAll(async () => {
  await h.close();
});

describe('a pull request asking for access', () => {
  it('gets a grantops check that is not successful while approvals are missing, naming who can approve', async () => {
    const from = h.server.requests.length;
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }))).toBe(200);

    const check = h.latestCheck(pull.head.sha)!;
    expect(check.status).toBe('in_progress');
    expect(check.conclusion).toBeNull();
    expect(check.output.title).toBe('2 approvals missing');
    expect(check.output.summary).toContain('| Grant | Change | Sensitivity | Required | Approved by | Missing (who can approve) |');
    expect(check.output.summary).toMatch(/manager: \*\*mgr\*\*/);
    expect(check.output.summary).toMatch(/owner: \*\*res-owner\*\*/);
    // 10 + 2·ceil(1/100) requests at most, the installation token included.
    expect(h.server.requests.length - from).toBeLessThanOrEqual(12);
  });

  it('asks the people who can approve for a review, and keeps one comment', async () => {
    expect(pull.requestedReviewers).toEqual(['mgr', 'res-owner']);
    const comments = h.comments(pull);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('<!-- grantops:approval -->');
    expect(comments[0]!.body).toContain('2 approvals missing');
    expect(comments[0]!.user).toBe('grantops[bot]');
  });

  it('counts the manager approval and edits the same comment instead of adding one', async () => {
    const review = h.server.state.submitReview(pull, 'mgr', 'APPROVED');
    expect(await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, review))).toBe(200);

    const check = h.latestCheck(pull.head.sha)!;
    expect(check.status).toBe('in_progress');
    expect(check.output.title).toBe('1 approval missing');
    expect(check.output.summary).toMatch(/manager: \*\*mgr\*\*/);
    const comments = h.comments(pull);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('1 approval missing');
    // Nobody new to ask: mgr reviewed, res-owner is already asked.
    expect(h.server.requests.filter((r) => r.path.endsWith('/requested_reviewers'))).toHaveLength(1);
  });

  it('costs no request for a comment-only review of a head already judged', async () => {
    const review = h.server.state.submitReview(pull, 'dev2', 'COMMENTED', { body: 'looks fine' });
    const from = h.server.requests.length;
    expect(await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, review))).toBe(200);
    expect(h.server.requests.length - from).toBeLessThanOrEqual(1);
  });

  it('costs at most one request for a re-delivered event, and changes nothing', async () => {
    const runs = h.checkRuns().length;
    const from = h.server.requests.length;
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }))).toBe(200);
    expect(h.server.requests.length - from).toBeLessThanOrEqual(1);
    expect(h.checkRuns()).toHaveLength(runs);
    expect(h.comments(pull)).toHaveLength(1);
  });

  it('succeeds once the resource owner approves too', async () => {
    const review = h.server.state.submitReview(pull, 'res-owner', 'APPROVED');
    expect(await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, review))).toBe(200);
    const check = h.latestCheck(pull.head.sha)!;
    expect(check.status).toBe('completed');
    expect(check.conclusion).toBe('success');
    expect(check.output.title).toBe('Approved');
    expect(h.comments(pull)).toHaveLength(1);
    expect(h.comments(pull)[0]!.body).toContain('Access request approved');
  });

  it('makes approvals stale on a new push, without asking the same reviewers again', async () => {
    const oldHead = pull.head.sha;
    await h.push(pull, { [grantPath('dev', 'prod-db')]: grant('dev', 'prod-db', { reason: 'Investigate OPS-2' }) });
    expect(await h.deliver('pull_request', pullRequestPayload('synchronize', h.repoState, pull, { changedFiles: 1, before: oldHead }))).toBe(200);

    const check = h.latestCheck(pull.head.sha)!;
    expect(check.status).toBe('in_progress');
    expect(check.output.title).toBe('2 approvals missing');
    expect(h.latestCheck(oldHead)!.conclusion).toBe('success');
    const comments = h.comments(pull);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('no longer count');
    // Both reviewed already: never asked twice.
    expect(h.server.requests.filter((r) => r.path.endsWith('/requested_reviewers'))).toHaveLength(1);
  });

  it('counts a dismissal as withdrawing the approval', async () => {
    const review = h.server.state.submitReview(pull, 'mgr', 'APPROVED');
    await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, review));
    expect(h.latestCheck(pull.head.sha)!.output.title).toBe('1 approval missing');
    h.server.state.dismissReview(pull, review.id);
    expect(await h.deliver('pull_request_review', reviewPayload('dismissed', h.repoState, pull, { ...review, state: 'DISMISSED' }))).toBe(200);
    expect(h.latestCheck(pull.head.sha)!.output.title).toBe('2 approvals missing');
  });

  it('never counts a bot approval', async () => {
    const review = h.server.state.submitReview(pull, 'helper[bot]', 'APPROVED');
    expect(await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, review))).toBe(200);
    const check = h.latestCheck(pull.head.sha)!;
    expect(check.output.title).toBe('2 approvals missing');
  });

  it('costs nothing for a title edit', async () => {
    const from = h.server.requests.length;
    expect(await h.deliver('pull_request', pullRequestPayload('edited', h.repoState, pull))).toBe(200);
    expect(h.server.requests.length - from).toBe(0);
  });
});
