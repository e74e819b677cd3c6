import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppHarness } from './harness.js';
import { baseOrgFiles, grant, grantPath } from './fixtures.js';
import { checkRunRerequestedPayload, mergeGroupPayload, pullRequestPayload, reviewPayload } from './payloads.js';
import { PEOPLE } from '../helpers/repo.js';

let h: AppHarness;
let base: string;

beforeAll(async () => {
  h = await AppHarness.start();
  base = await h.repo.commit(baseOrgFiles(), 'the organisation');
});

afterAll(async () => {
  await h.close();
});

describe('webhook deliveries', () => {
  it('rejects a delivery with a bad signature before any GitHub request', async () => {
    const pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'prod-db')]: grant('dev', 'prod-db') });
    const from = h.server.requests.length;
    const status = await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull), { signature: `sha256=${'0'.repeat(64)}` });
    expect(status).toBe(400);
    expect(h.server.requests.length - from).toBe(0);
    expect(h.checkRuns(pull.head.sha)).toHaveLength(0);
  });
});

describe('pull requests that touch no access file', () => {
  it('get a quick neutral check and no comment', async () => {
    const pull = await h.openPullRequest('dev', base, { 'README.md': '# access, explained\n' });
    const from = h.server.requests.length;
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }))).toBe(200);
    const check = h.latestCheck(pull.head.sha)!;
    expect(check).toMatchObject({ status: 'completed', conclusion: 'neutral' });
    expect(check.output.title).toBe('No access changes');
    expect(h.comments(pull)).toHaveLength(0);
    const made = h.server.requestsSince(from).map((r) => `${r.method} ${r.path}`);
    // The files are listed even so: a workflow or attributes file outside access/ would be a rules change.
    expect(made.filter((r) => !r.includes('access_tokens'))).toEqual(['POST /graphql', 'GET /repos/vandelay/access/pulls/2/files', 'POST /repos/vandelay/access/check-runs']);
  });
});

describe('invalid files', () => {
  it('fail the check with annotations at file and line, 50 per request', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 120; i++) files[grantPath('dev', `broken-${i}`)] = `${grant('dev', 'logs-read')}colour: blue\n`;
    const pull = await h.openPullRequest('dev', base, files);
    const from = h.server.requests.length;
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 120 }))).toBe(200);

    const check = h.latestCheck(pull.head.sha)!;
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output.title).toMatch(/^Invalid: \d+ errors$/);
    const annotated = check.annotations.filter((a) => a.message.includes('colour'));
    expect(annotated.length).toBeGreaterThanOrEqual(120);
    expect(annotated[0]).toMatchObject({ annotation_level: 'failure', start_line: 7, path: expect.stringMatching(/^access\/grants\/dev\/broken-\d+\.yaml$/) });
    const checkRequests = h.server.requestsSince(from, { path: /check-runs/ });
    expect(checkRequests[0]!.method).toBe('POST');
    for (const request of checkRequests) {
      expect(((request.body as { output?: { annotations?: unknown[] } }).output?.annotations ?? []).length).toBeLessThanOrEqual(50);
    }
    expect(checkRequests.length).toBe(Math.ceil(check.annotations.length / 50));
    // Invalid files are not approvable: nobody is asked to review them.
    expect(pull.requestedReviewers).toEqual([]);
    expect(h.server.requestsSince(from).length).toBeLessThanOrEqual(10 + 2 * Math.ceil(120 / 100));
  });
});

describe('the API budget', () => {
  it('is 10 + 2·ceil(F/100) requests for a pull request touching F grant files', async () => {
    const people = Array.from({ length: 250 }, (_, i) => `- { login: user${i}, name: User ${i}, manager: mgr, aws: { user: user${i} } }`).join('\n');
    const org = await h.repo.commit({ ...baseOrgFiles(), 'access/people.yaml': `${PEOPLE}${people}\n` }, 'many people');
    const files: Record<string, string> = {};
    for (let i = 0; i < 250; i++) files[grantPath(`user${i}`, 'prod-db')] = grant(`user${i}`, 'prod-db');
    const pull = await h.openPullRequest('mgr', org, files);
    const from = h.server.requests.length;
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 250 }))).toBe(200);

    const check = h.latestCheck(pull.head.sha)!;
    expect(check.status).toBe('in_progress');
    // mgr asks on behalf of the people they manage; as author they cannot approve, so the manager role escalates to boss.
    expect(check.output.summary).toContain('boss');
    expect(check.output.summary!.length).toBeLessThanOrEqual(65535);
    expect(h.server.requestsSince(from).length).toBeLessThanOrEqual(10 + 2 * Math.ceil(250 / 100));
    expect(h.comments(pull)).toHaveLength(1);
  });

  it('fails closed, without listing, for a pull request over GitHub’s 3,000-file cap', async () => {
    const pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'logs-read')]: grant('dev', 'logs-read') });
    const from = h.server.requests.length;
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 3001 }))).toBe(200);
    const check = h.latestCheck(pull.head.sha)!;
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output.title).toBe('Too many files to judge (3,001)');
    expect(check.output.summary).toContain('at most 3,000 files');
    expect(h.server.requestsSince(from, { path: /\/files$/ })).toHaveLength(0);
  });
});

describe('a change to the rules themselves', () => {
  it('needs an org owner, who is asked to review', async () => {
    const pull = await h.openPullRequest('dev', base, { 'access/people.yaml': `${PEOPLE}- { login: newbie, name: New Person, manager: mgr, aws: { user: newbie } }\n` });
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }))).toBe(200);
    const check = h.latestCheck(pull.head.sha)!;
    expect(check.status).toBe('in_progress');
    expect(check.output.summary).toContain('Rules change');
    expect(pull.requestedReviewers).toEqual(['owner']);
  });
});

describe('merge groups', () => {
  async function queue(pullHead: string, branch: string): Promise<string> {
    await h.repo.branch(branch, base);
    await h.repo.git.raw(['merge', '--no-ff', '-m', 'Merge into the queue', pullHead]);
    return (await h.repo.git.revparse(['HEAD'])).trim();
  }

  it('are evaluated like the pull request: an unapproved one fails', async () => {
    const pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'prod-db')]: grant('dev', 'prod-db', { reason: 'queued' }) });
    const groupHead = await queue(pull.head.sha, 'queue-1');
    expect(await h.deliver('merge_group', mergeGroupPayload(h.repoState, pull, groupHead, base))).toBe(200);
    const check = h.latestCheck(groupHead)!;
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output.title).toBe('2 approvals missing');
    expect(h.comments(pull)).toHaveLength(0);
  });

  it('pass when the pull request’s head is approved', async () => {
    const pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'prod-db')]: grant('dev', 'prod-db', { reason: 'queued, approved' }) });
    h.server.state.submitReview(pull, 'mgr', 'APPROVED');
    h.server.state.submitReview(pull, 'res-owner', 'APPROVED');
    const groupHead = await queue(pull.head.sha, 'queue-2');
    expect(await h.deliver('merge_group', mergeGroupPayload(h.repoState, pull, groupHead, base))).toBe(200);
    expect(h.latestCheck(groupHead)).toMatchObject({ status: 'completed', conclusion: 'success' });
  });

  it('fail when the queue branch names no pull request', async () => {
    const pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'logs-read')]: grant('dev', 'logs-read', { reason: 'odd queue' }) });
    const groupHead = await queue(pull.head.sha, 'queue-3');
    const payload = mergeGroupPayload(h.repoState, pull, groupHead, base);
    payload.merge_group.head_ref = 'refs/heads/some-other-queue';
    expect(await h.deliver('merge_group', payload)).toBe(200);
    expect(h.latestCheck(groupHead)).toMatchObject({ status: 'completed', conclusion: 'failure' });
  });
});

describe('a re-run of the check', () => {
  it('judges the head afresh in a new check run', async () => {
    const pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'logs-read')]: grant('dev', 'logs-read', { reason: 'rerun' }) });
    await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }));
    expect(h.checkRuns(pull.head.sha)).toHaveLength(1);
    expect(await h.deliver('check_run', checkRunRerequestedPayload(h.repoState, pull.head.sha, pull))).toBe(200);
    expect(h.checkRuns(pull.head.sha)).toHaveLength(2);
    expect(h.latestCheck(pull.head.sha)).toMatchObject({ conclusion: 'success' });
  });

  it('finds the pull request by its head when GitHub attaches none, and ignores other checks', async () => {
    const pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'logs-read')]: grant('dev', 'logs-read', { reason: 'fork' }) });
    expect(await h.deliver('check_run', checkRunRerequestedPayload(h.repoState, pull.head.sha, undefined, 'lint'))).toBe(200);
    expect(h.checkRuns(pull.head.sha)).toHaveLength(0);
    expect(await h.deliver('check_run', checkRunRerequestedPayload(h.repoState, pull.head.sha))).toBe(200);
    expect(h.latestCheck(pull.head.sha)).toMatchObject({ conclusion: 'success' });
  });
});

describe('when GitHub fails mid-evaluation', () => {
  it('fails closed: the check fails, saying why, and the delivery errors so it can be retried', async () => {
    const pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'prod-db')]: grant('dev', 'prod-db', { reason: 'unlucky' }) });
    h.server.failNext({ method: 'GET', path: /\/pulls\/\d+\/files$/, status: 502, message: 'Bad Gateway' });
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }))).toBeGreaterThanOrEqual(500);
    const check = h.latestCheck(pull.head.sha)!;
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.output.title).toBe('Could not evaluate');
    expect(check.output.summary).toContain('Bad Gateway');
    // The next delivery judges it properly.
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }))).toBe(200);
    expect(h.latestCheck(pull.head.sha)!.output.title).toBe('2 approvals missing');
  });

  it('keeps a stale pull request event from publishing over a newer head', async () => {
    const pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'logs-read')]: grant('dev', 'logs-read', { reason: 'first' }) });
    const first = pull.head.sha;
    await h.push(pull, { [grantPath('dev', 'logs-read')]: grant('dev', 'logs-read', { reason: 'second' }) });
    const stale = { ...pull, head: { ...pull.head, sha: first } };
    const review = h.server.state.submitReview(pull, 'mgr', 'COMMENTED');
    expect(await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, stale, { ...review, state: 'APPROVED', commitId: first }))).toBe(200);
    expect(h.checkRuns(first)).toHaveLength(0);
  });
});

describe('unreadable files at the head', () => {
  it('fail the check: a grant file replaced by something that is not a file is not a give-up that needs nobody', async () => {
    const withGrant = await h.repo.commit({ [grantPath('dev', 'prod-db')]: grant('dev', 'prod-db') }, 'a granted access');
    const branch = 'gitlinked-grant';
    await h.repo.branch(branch, withGrant);
    const path = grantPath('dev', 'prod-db');
    // A submodule entry where the grant file was: it has no content a reader could fetch.
    const git = simpleGit(h.repo.dir);
    await git.raw(['rm', '--cached', '-q', path]);
    await rm(join(h.repo.dir, path));
    await git.raw(['update-index', '--add', '--cacheinfo', `160000,${withGrant},${path}`]);
    await git.commit('dev: swap the grant for a submodule');
    const head = (await git.revparse(['HEAD'])).trim();
    const pull = h.server.state.openPullRequest(h.repoState, { author: 'dev', headSha: head, baseSha: withGrant, headRef: branch });

    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull))).toBe(200);
    const check = h.latestCheck(pull.head.sha)!;
    expect(check).toMatchObject({ status: 'completed', conclusion: 'failure' });
    expect(check.annotations.some((a) => a.path === path)).toBe(true);
  });
});
