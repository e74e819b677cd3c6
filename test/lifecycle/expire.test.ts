import { startGitHubServer, type GitHubServer, type RepoState } from '../github-server/index.js';
import { createExpiryWorld } from './expiry-world.js';
import type { GitFixture } from './git-fixture.js';
import { grantFile, RDS_FULL, readHoldings, S3_READ, type Holdings } from './lifecycle-org.js';
import { runGrantops } from './run-cli.js';

const DEV = 'access/grants/dev/logs-read.yaml';

describe('grantops expire, with real git and the stand-in GitHub', () => {
  let server: GitHubServer;
  let fx: GitFixture;
  let repo: RepoState;
  let env: Record<string, string>;
  let state: string;

  async function setUp(grants: Record<string, string>, holdings: Holdings): Promise<void> {
    ({ fx, repo, env, state } = await createExpiryWorld(server, grants, holdings));
  }

  const expire = (now: string, ...extra: string[]) => runGrantops(['expire', '--provider', 'file', '--state', state, '--now', now, ...extra], fx.clone, env);
  const posts = (path: RegExp) => server.requestsSince(0, { method: 'POST', path }).filter((r) => r.status < 300).length;

  beforeEach(async () => {
    server = await startGitHubServer();
    server.state.addInstallation(1, 'acme');
  });
  afterEach(async () => {
    await server.close();
    await fx.cleanup();
  });

  it('first expiry, a second run the same day, then a run after the approval lapsed: one pull request throughout', async () => {
    await setUp(
      {
        ...grantFile('dev', 'logs-read', '2026-12-07T00:00:00Z', '2027-01-15T00:00:00Z'),
        ...grantFile('dev2', 'prod-db', '2026-12-09T00:00:00Z', '2026-12-20T00:00:00Z'),
        // Live but not provisioned yet: apply would add it; expire must leave it alone.
        ...grantFile('mgr', 'logs-read', '2026-12-30T00:00:00Z', '2027-01-30T00:00:00Z'),
      },
      { 'dev.user': { groups: ['log-readers'] }, 'dev2.user': { policies: [RDS_FULL] } },
    );

    // 1. First expiry: IAM detached, status: expired on the branch, the pull request opened, dev2 warned.
    const first = await expire('2026-12-07T06:00:00Z', '--open-pr');
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(await readHoldings(state)).toMatchObject({ 'dev.user': { groups: [] }, 'dev2.user': { policies: [RDS_FULL] }, mgr: { groups: [] } });
    const branchFile = await fx.showRemote('grantops/revoke', DEV);
    expect(branchFile).toBe(grantFile('dev', 'logs-read', '2026-12-07T00:00:00Z', '2027-01-15T00:00:00Z', 'expired')[DEV]);
    expect(await fx.showRemote('main', DEV)).toContain('status: active');
    // The revocation commit is dated by the run's clock (--now), not the wall clock.
    expect((await fx.git.raw(['log', '-1', '--format=%aI %cI', 'grantops/revoke'])).trim()).toBe('2026-12-07T06:00:00+00:00 2026-12-07T06:00:00+00:00');
    const pulls = [...repo.pulls.values()];
    expect(pulls).toHaveLength(1);
    expect(pulls[0]).toMatchObject({ state: 'open', head: { ref: 'grantops/revoke' }, base: { ref: 'main' }, title: 'Revoke expired access: dev / logs-read' });
    expect(pulls[0]!.body).toContain('| @dev | `logs-read` | 2026-12-07T00:00:00Z | 2027-01-15T00:00:00Z | sets `status: expired` | removed from IAM |');
    expect(pulls[0]!.body).toContain('grantops request --resource logs-read --for-duration 30d');
    const notices = [...repo.issues.values()];
    expect(notices.map((i) => [i.title, i.assignees, i.labels])).toEqual([['Access to prod-db for @dev2 ends on 2026-12-09', ['dev2'], ['grantops:expiring']]]);
    expect(notices[0]!.body).toContain('ends at **2026-12-09T00:00:00Z**');
    expect(first.out).toContain('revocation pull request #1 opened');

    // 2. The same day again: no new pull request, no push, no second notice.
    const pushedBefore = await fx.showRemote('grantops/revoke', DEV);
    const second = await expire('2026-12-07T18:00:00Z', '--open-pr');
    expect(second.code).toBe(0);
    expect(second.out).toContain('revocation pull request #1 unchanged');
    expect(posts(/\/pulls$/)).toBe(1);
    expect(posts(/\/issues$/)).toBe(1);
    expect(await fx.showRemote('grantops/revoke', DEV)).toBe(pushedBefore);

    // 3. Nobody merged it; later dev's approval lapsed too, and dev2's access ran out: the same pull request, updated.
    const later = await expire('2027-01-16T00:00:00Z', '--open-pr');
    expect(later.code).toBe(0);
    expect(await fx.showRemote('grantops/revoke', DEV)).toBeNull();
    expect(await fx.showRemote('grantops/revoke', 'access/grants/dev2/prod-db.yaml')).toBeNull();
    expect(await readHoldings(state)).toMatchObject({ 'dev2.user': { policies: [] } });
    expect(posts(/\/pulls$/)).toBe(1);
    const pull = repo.pulls.get(1)!;
    expect(pull.title).toBe('Revoke expired access: 3 grants');
    expect(pull.body).toContain('| @dev | `logs-read` | 2026-12-07T00:00:00Z | expired 2027-01-15T00:00:00Z | deletes the file |');
    expect(pull.head.sha).toBe((await fx.git.raw(['ls-remote', 'origin', 'refs/heads/grantops/revoke'])).split(/\s/)[0]);
    expect(later.out).toContain('revocation pull request #1 updated');
    // mgr's grant lapsed on 2026-12-30 and is recorded too, but nothing was ever granted to remove.
    expect(await fx.showRemote('grantops/revoke', 'access/grants/mgr/logs-read.yaml')).toContain('status: expired');
  });

  it('after the revocation pull request is merged, nothing is left to do until the approval lapses; then a new one deletes the file', async () => {
    await setUp(grantFile('dev', 'logs-read', '2026-12-07T00:00:00Z', '2027-01-15T00:00:00Z'), { 'dev.user': { groups: ['log-readers'] } });
    expect((await expire('2026-12-07T06:00:00Z', '--open-pr')).code).toBe(0);
    // The pull request is merged: main fast-forwards to the branch, GitHub closes the pull request.
    await fx.git.fetch('origin');
    await fx.git.raw(['merge', '--ff-only', 'origin/grantops/revoke']);
    await fx.git.push('origin', 'main');
    repo.pulls.get(1)!.state = 'closed';

    const quiet = await expire('2026-12-08T06:00:00Z', '--open-pr');
    expect(quiet.code).toBe(0);
    expect(quiet.out).toContain('No grant has lapsed');
    expect(repo.pulls.size).toBe(1);

    const later = await expire('2027-01-16T00:00:00Z', '--open-pr');
    expect(later.code).toBe(0);
    expect(repo.pulls.size).toBe(2);
    expect(repo.pulls.get(2)).toMatchObject({ state: 'open', head: { ref: 'grantops/revoke' } });
    expect(repo.pulls.get(2)!.body).toContain('| removed at an earlier run |');
    expect(await fx.showRemote('grantops/revoke', DEV)).toBeNull();
    expect(await fx.showRemote('main', DEV)).toContain('status: expired');
  });

    it('a grant covered twice keeps its access until the last cover lapses; without --open-pr the commit stays local', async () => {
    await setUp(
      {
        ...grantFile('dev', 's3-read', '2026-12-05T00:00:00Z', '2027-01-15T00:00:00Z'),
        ...grantFile('dev', 'lake-read', '2026-12-10T00:00:00Z', '2027-01-15T00:00:00Z'),
      },
      { 'dev.user': { policies: [S3_READ] } },
    );
    const first = await expire('2026-12-07T00:00:00Z');
    expect(first.code).toBe(0);
    expect(await readHoldings(state)).toMatchObject({ 'dev.user': { policies: [S3_READ] } });
    expect(await fx.git.raw(['show', 'grantops/revoke:access/grants/dev/s3-read.yaml'])).toContain('status: expired');
    expect(first.out).toContain('the revocation is on branch grantops/revoke');
    expect(await fx.git.raw(['ls-remote', 'origin'])).not.toContain('grantops/revoke');
    expect(server.requests).toEqual([]);

    const second = await expire('2026-12-11T00:00:00Z');
    expect(second.code).toBe(0);
    expect(await readHoldings(state)).toMatchObject({ 'dev.user': { policies: [] } });
    expect(second.out).toMatch(/ok detach-user-policy dev.user arn:aws:iam::aws:policy\/AmazonS3ReadOnlyAccess \(access\/grants\/dev\/lake-read.yaml\)/);
  });

  it('a manual resource opens exactly one issue, to its owners, and IAM is not called', async () => {
    await setUp(grantFile('dev', 'billing-admin', '2026-12-07T00:00:00Z', '2027-01-15T00:00:00Z'), { 'dev.user': { groups: ['billing-admins'] } });
    for (const now of ['2026-12-07T06:00:00Z', '2026-12-07T07:00:00Z', '2026-12-08T07:00:00Z']) {
      const run = await expire(now, '--open-pr');
      expect(run.code).toBe(0);
    }
    expect(await readHoldings(state)).toMatchObject({ 'dev.user': { groups: ['billing-admins'] } });
    const issues = [...repo.issues.values()].filter((i) => i.labels.includes('grantops:manual'));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ title: 'Revoke billing-admin from dev.user (manual provisioning)', assignees: ['finance', 'owner'] });
    expect(issues[0]!.body).toContain("aws iam remove-user-from-group --user-name 'dev.user' --group-name 'billing-admins'");
    const pulls = [...repo.pulls.values()];
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.body).toContain(`removal asked of the owners (#${issues[0]!.number})`);
  });

  it('--dry-run changes nothing anywhere and says what it would do', async () => {
    await setUp(grantFile('dev', 'logs-read', '2026-12-07T00:00:00Z', '2027-01-15T00:00:00Z'), { 'dev.user': { groups: ['log-readers'] } });
    const run = await expire('2026-12-07T06:00:00Z', '--open-pr', '--dry-run');
    expect(run.code).toBe(0);
    expect(await readHoldings(state)).toMatchObject({ 'dev.user': { groups: ['log-readers'] } });
    expect(await fx.git.raw(['branch', '--list', 'grantops/revoke'])).toBe('');
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(run.out).toContain('would set status: expired');
    expect(run.out).toContain('- remove-user-from-group dev.user log-readers');
  });
});
