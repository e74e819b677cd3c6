import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NotificationEvent } from '../../src/core/notify/notification-event.js';
import { EMPTY_NOTIFICATION_REPORT } from '../../src/core/notify/notification-report.js';
import type { PullState } from '../github-server/index.js';
import { grantYaml, PEOPLE, RESOURCES } from '../helpers/repo.js';
import { baseOrgFiles, grantPath } from './fixtures.js';
import { AppHarness } from './harness.js';
import { closedPayload, pullRequestPayload, reviewPayload } from './payloads.js';

/*
 * Break-glass through the app and the stand-in GitHub: dev (on call) takes prod-db (high: manager mgr +
 * owner res-owner) at 03:00 for 3h; the pull request passes at once, is merged at 03:05, and must be
 * ratified by 15:05. The steps build on each other.
 */
const NOW = new Date('2026-06-01T03:00:00Z');
const MERGED_AT = '2026-06-01T03:05:00Z';
let h: AppHarness;
let base: string;
let pull: PullState;
const events: NotificationEvent[] = [];

const breakGlass = (user: string, expires = '2026-06-01T06:00:00Z') =>
  grantYaml({ user, resource: 'prod-db', reason: '"INC-123 orders are down"', expires, status: 'active', breakGlass: 'true' });
const ratificationCheck = (sha: string) => h.checkRuns(sha).filter((r) => r.name === 'grantops/ratification').at(-1);
const ratificationComments = (p: PullState) => h.comments(p).filter((c) => c.body.includes('<!-- grantops:ratification -->'));

beforeAll(async () => {
  h = await AppHarness.start({ now: NOW });
  h.deps.notifier = {
    notify: async (list) => {
      events.push(...list);
      return EMPTY_NOTIFICATION_REPORT;
    },
  };
  base = await h.repo.commit(
    {
      ...baseOrgFiles(),
      'access/people.yaml': PEOPLE.replace('{ login: dev, name: Developer, manager: mgr,', '{ login: dev, name: Developer, manager: mgr, roles: [oncall],'),
      'access/resources/aws-prod/prod-db.yaml': `${RESOURCES['prod-db']}breakGlass: { roles: [oncall], maxAccess: 4h, ratifyWithin: 12h }\n`,
    },
    'the organisation, with break-glass on prod-db',
  );
});

afterAll(async () => {
  await h.close();
});

describe('attacks the app refuses with a failing check', () => {
  it.each([
    ['a requester who is not on call', 'dev2', 'dev2', breakGlass('dev2'), 'break-glass/not-eligible'],
    ['a break-glass grant longer than 4h', 'dev', 'dev', breakGlass('dev', '2026-06-01T09:00:00Z'), 'break-glass/max-access'],
    ['a break-glass grant for someone else', 'mgr', 'dev2', breakGlass('dev2'), 'break-glass/for-someone-else'],
  ])('%s', async (_name, author, grantee, content, rule) => {
    const attack = await h.openPullRequest(author, base, { [grantPath(grantee, 'prod-db')]: content });
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, attack, { changedFiles: 1 }))).toBe(200);
    const check = h.latestCheck(attack.head.sha)!;
    expect(check.conclusion).toBe('failure');
    expect(check.annotations.map((a) => a.title)).toContain(rule);
  });
});

describe('a break-glass pull request', () => {
  it('passes at once, saying loudly that it is break-glass and who must ratify', async () => {
    pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'prod-db')]: breakGlass('dev') });
    expect(await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }))).toBe(200);
    const check = h.latestCheck(pull.head.sha)!;
    expect(check.conclusion).toBe('success');
    expect(check.output.title).toBe('Approved as BREAK-GLASS: to be ratified after the merge');
    expect(check.output.summary).toMatch(/\*\*BREAK-GLASS\.\*\*/);
    expect(check.output.summary).toMatch(/within 12h of the merge/);
    const [comment] = h.comments(pull);
    expect(comment!.body).toMatch(/🚨 BREAK-GLASS/);
    // Nobody is asked to review before the merge: the pass needs nobody.
    expect(pull.requestedReviewers).toEqual([]);
  });

  it('at the merge, asks the approvers to ratify and tells the owners and org owners', async () => {
    h.server.state.mergePullRequest(pull, { commitSha: pull.head.sha, by: 'dev', at: MERGED_AT });
    const from = h.server.requests.length;
    expect(await h.deliver('pull_request', closedPayload(h.repoState, pull))).toBe(200);
    // The token, the overview, the file list, the contents, the check, finding and writing the comment.
    expect(h.server.requests.length - from).toBeLessThanOrEqual(7);
    const check = ratificationCheck(pull.head.sha)!;
    expect(check.status).toBe('in_progress');
    expect(check.output.title).toBe('Break-glass awaiting ratification until 2026-06-01T15:05:00Z');
    const [comment] = ratificationComments(pull);
    expect(comment!.body).toMatch(/@mgr, @res-owner: this break-glass access was taken without your approval/);
    expect(events.map((e) => e.kind)).toEqual(['break-glass-used']);
    const used = events[0]!;
    expect(used.kind === 'break-glass-used' && used.ratifyBy).toBe('2026-06-01T15:05:00.000Z');
    expect(used.recipients).toEqual(expect.arrayContaining([{ login: 'res-owner', as: 'owner' }, { login: 'owner', as: 'org-owner' }, { login: 'mgr', as: 'approver' }]));
  });

  it('costs a merged pull request without break-glass grants no write at all', async () => {
    const plain = await h.openPullRequest('dev', base, { [grantPath('dev', 'logs-read')]: grantYaml({ user: 'dev', resource: 'logs-read', reason: 'x', expires: '2026-06-05T00:00:00Z', approvalExpires: '2026-07-01T00:00:00Z', status: 'active' }) }, { branch: 'plain' });
    h.server.state.mergePullRequest(plain, { commitSha: plain.head.sha, by: 'dev', at: MERGED_AT });
    const from = h.server.requests.length;
    expect(await h.deliver('pull_request', closedPayload(h.repoState, plain))).toBe(200);
    expect(h.server.requests.slice(from).filter((r) => r.method !== 'GET' && !r.path.endsWith('/graphql') && !r.path.endsWith('/access_tokens'))).toEqual([]);
    expect(ratificationCheck(plain.head.sha)).toBeUndefined();
  });

  it('is not ratified by a comment, or by an approval from someone who fills no required role', async () => {
    const comment = h.server.state.submitReview(pull, 'mgr', 'COMMENTED', { body: 'ratified', submittedAt: '2026-06-01T08:00:00Z' });
    await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, comment));
    const stranger = h.server.state.submitReview(pull, 'dev2', 'APPROVED', { submittedAt: '2026-06-01T08:01:00Z' });
    await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, stranger));
    expect(ratificationCheck(pull.head.sha)!.status).toBe('in_progress');
    // GitHub refuses the requester's own approval outright (the evaluator would not count it either).
    expect(() => h.server.state.submitReview(pull, 'dev', 'APPROVED')).toThrow();
  });

  it('is ratified once the manager and the owner approve the merged pull request, in one kept comment', async () => {
    for (const [who, at] of [['mgr', '2026-06-01T09:00:00Z'], ['res-owner', '2026-06-01T10:00:00Z']] as const) {
      const review = h.server.state.submitReview(pull, who, 'APPROVED', { submittedAt: at });
      expect(await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, review))).toBe(200);
    }
    const check = ratificationCheck(pull.head.sha)!;
    expect(check.conclusion).toBe('success');
    expect(check.output.title).toBe('Break-glass ratified');
    expect(check.output.summary).toMatch(/ratified by mgr as manager, res-owner as owner/);
    expect(ratificationComments(pull)).toHaveLength(1);
    expect(events).toHaveLength(1);
  });

  it('is reported unratified when the only approval came after the deadline', async () => {
    const late = await h.openPullRequest('dev', base, { [grantPath('dev', 'prod-db')]: breakGlass('dev') }, { branch: 'late' });
    h.server.state.mergePullRequest(late, { commitSha: late.head.sha, by: 'dev', at: MERGED_AT });
    h.server.state.submitReview(late, 'mgr', 'APPROVED', { submittedAt: '2026-06-01T09:00:00Z' });
    const review = h.server.state.submitReview(late, 'res-owner', 'APPROVED', { submittedAt: '2026-06-01T16:00:00Z' });
    h.deps.now = () => new Date('2026-06-01T16:00:00Z');
    expect(await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, late, review))).toBe(200);
    const check = ratificationCheck(late.head.sha)!;
    expect(check.conclusion).toBe('failure');
    expect(check.output.title).toBe('Break-glass NOT ratified: revoked by the next expire run');
    expect(check.output.summary).toMatch(/missing owner/);
  });
});
