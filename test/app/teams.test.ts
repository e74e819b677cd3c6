import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RESOURCES } from '../helpers/repo.js';
import { AppHarness } from './harness.js';
import { baseOrgFiles, grant, grantPath } from './fixtures.js';
import { pullRequestPayload, reviewPayload } from './payloads.js';

/*
 * A resource owned by a GitHub team: the app reads the team's members through its Members permission
 * (the stand-in GitHub serves them) and lets any member but the grantee and author approve as owner.
 * A team nobody can fill fails the check as invalid rather than waiting for nobody.
 */
let h: AppHarness;
let base: string;

const teamOwned = (id: string, team: string) => RESOURCES['prod-db']!.replace('id: prod-db', `id: ${id}`).replace('owners: [res-owner]', `owners: ["${team}"]`);

beforeAll(async () => {
  h = await AppHarness.start();
  base = await h.repo.commit({
    ...baseOrgFiles(),
    'access/resources/aws-prod/prod-api.yaml': teamOwned('prod-api', '@vandelay/platform'),
    'access/resources/aws-prod/prod-ghost.yaml': teamOwned('prod-ghost', '@vandelay/ghosts'),
  }, 'the organisation, with team-owned resources');
  h.server.state.setTeam('vandelay', 'platform', ['dev', 'dev2']);
  h.server.state.setTeam('vandelay', 'ghosts', []);
});

afterAll(async () => {
  await h.close();
});

describe('a resource owned by a team', () => {
  it('names the team\'s members (not the grantee) as who can approve, and counts a member\'s approval', async () => {
    const pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'prod-api')]: grant('dev', 'prod-api') });
    const from = h.server.requests.length;
    await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }));
    const teamReads = h.server.requests.slice(from).filter((r) => r.path === '/orgs/vandelay/teams/platform/members');
    expect(teamReads).toHaveLength(1);
    let check = h.latestCheck(pull.head.sha)!;
    expect(check.output.title).toBe('2 approvals missing');
    expect(check.output.summary).toMatch(/owner: \*\*dev2\*\*/);
    expect(pull.requestedReviewers).toEqual(['mgr', 'dev2']);

    for (const reviewer of ['mgr', 'dev2']) {
      const review = h.server.state.submitReview(pull, reviewer, 'APPROVED');
      await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, review));
    }
    check = h.latestCheck(pull.head.sha)!;
    expect(check.conclusion).toBe('success');
  });

  it('reads membership afresh: someone who left the team no longer counts', async () => {
    const pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'prod-api')]: grant('dev', 'prod-api', { reason: 'Investigate OPS-2' }) }, { branch: 'left-team' });
    await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }));
    h.server.state.setTeam('vandelay', 'platform', ['dev']);
    for (const reviewer of ['mgr', 'dev2']) {
      const review = h.server.state.submitReview(pull, reviewer, 'APPROVED');
      await h.deliver('pull_request_review', reviewPayload('submitted', h.repoState, pull, review));
    }
    const check = h.latestCheck(pull.head.sha)!;
    expect(check.conclusion).toBe('failure');
    expect(check.output.summary).toMatch(/nobody can approve as owner/);
    h.server.state.setTeam('vandelay', 'platform', ['dev', 'dev2']);
  });

  it.each([
    ['prod-ghost', /team @vandelay\/ghosts has no members, so it can approve nothing/],
  ])('fails the check, located at the resource, when the team owning %s can fill nothing', async (resource, message) => {
    const pull = await h.openPullRequest('dev', base, { [grantPath('dev', resource)]: grant('dev', resource) }, { branch: `ask-${resource}` });
    await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }));
    const check = h.latestCheck(pull.head.sha)!;
    expect(check.conclusion).toBe('failure');
    expect(check.output.title).toMatch(/^Invalid/);
    expect(check.output.summary).toMatch(message);
    expect(check.annotations.map((a) => a.path)).toContain(`access/resources/aws-prod/${resource}.yaml`);
  });

  it('treats a team GitHub will not show (unknown to the installation) as an error, never a pass', async () => {
    h.server.state.teams.delete('vandelay/platform');
    const pull = await h.openPullRequest('dev', base, { [grantPath('dev', 'prod-api')]: grant('dev', 'prod-api', { reason: 'Investigate OPS-3' }) }, { branch: 'unknown-team' });
    await h.deliver('pull_request', pullRequestPayload('opened', h.repoState, pull, { changedFiles: 1 }));
    const check = h.latestCheck(pull.head.sha)!;
    expect(check.conclusion).toBe('failure');
    expect(check.output.summary).toMatch(/the members of team @vandelay\/platform are not known/);
    h.server.state.setTeam('vandelay', 'platform', ['dev', 'dev2']);
  });
});
