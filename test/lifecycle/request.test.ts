import { parse } from 'yaml';
import { issueUserToken } from '../github-server/user-tokens.js';
import { LifecycleApp } from './app-on-fixture.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';
import { grantFile, ORG_FILES } from './lifecycle-org.js';
import { runGrantops } from './run-cli.js';

const PEOPLE = ['owner', 'mgr', 'dev', 'dev2', 'res-owner', 'finance'];

describe('grantops request', () => {
  let fx: GitFixture;
  afterEach(() => fx.cleanup());

  it('writes a new grant for the caller (github.user), commits it on grant/<login>/<resource>-<date>, and says who must approve', async () => {
    fx = await createGitFixture(ORG_FILES);
    await fx.git.addConfig('github.user', 'dev');
    const run = await runGrantops(['request', '--resource', 'db-read', '--for-duration', '5d', '--reason', 'Check the OPS-9 query plans', '--now', '2026-12-07T06:00:00Z'], fx.clone);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(run.out).toContain('requester: dev (git config github.user (dev))');
    expect(run.out).toMatch(/manager\*\*: @mgr/);
    expect(run.out).toContain('outlook: needs approval: manager (mgr)');
    const text = await fx.git.raw(['show', 'grant/dev/db-read-2026-12-07:access/grants/dev/db-read.yaml']);
    expect(parse(text)).toEqual({ user: 'dev', resource: 'db-read', reason: 'Check the OPS-9 query plans', expires: '2026-12-12T06:00:00Z', approvalExpires: '2027-01-16T06:00:00Z', status: 'active' });
    expect((await fx.git.raw(['status', '--porcelain'])).trim()).toBe('');
  });

  it('refuses what the rules refuse: too long, on behalf of someone one does not manage, an unknown identity', async () => {
    fx = await createGitFixture(ORG_FILES);
    const tooLong = await runGrantops(['request', '--resource', 'prod-db', '--for-duration', '8d', '--reason', 'x', '--as', 'dev', '--now', '2026-12-07T06:00:00Z'], fx.clone);
    expect(tooLong.code).toBe(2);
    expect(tooLong.out).toMatch(/access\/grants\/dev\/prod-db\.yaml:5:\d+ error grant\/max-access .*more than 1w from now/);
    const onBehalf = await runGrantops(['request', '--resource', 'db-read', '--for-duration', '1d', '--reason', 'x', '--as', 'dev', '--for', 'dev2', '--now', '2026-12-07T06:00:00Z'], fx.clone);
    expect(onBehalf.code).toBe(2);
    expect(onBehalf.out).toContain('approval/on-behalf');
    const stranger = await runGrantops(['request', '--resource', 'db-read', '--for-duration', '1d', '--reason', 'x', '--now', '2026-12-07T06:00:00Z'], fx.clone);
    expect(stranger.code).toBe(2);
    expect(stranger.out).toContain('pass --as LOGIN');
    expect(await fx.git.raw(['branch', '--list', 'grant/*'])).toBe('');
  });

  describe('renewal through a pull request the app judges', () => {
    let app: LifecycleApp;
    afterEach(() => app.close());

    async function openWithApp(files: Record<string, string>, now: string, args: string[]) {
      fx = await createGitFixture({ ...ORG_FILES, ...files });
      app = await LifecycleApp.start(fx.bare, new Date(now), PEOPLE);
      const env = { GITHUB_TOKEN: issueUserToken(app.server.state, 'dev', app.installationId), GITHUB_API_URL: app.server.apiUrl, GITHUB_REPOSITORY: 'acme/access' };
      const run = await runGrantops(['request', ...args, '--as', 'dev', '--open-pr', '--now', now], fx.clone, env);
      const pull = [...app.repo.pulls.values()][0];
      return { run, pull };
    }

    it('inside the approval window: the pull request is approved by the app at once, with no reviewer', async () => {
      const { run, pull } = await openWithApp(grantFile('dev', 'db-read', '2026-12-01T00:00:00Z', '2027-01-10T00:00:00Z', 'expired'), '2026-12-07T06:00:00Z', ['--resource', 'db-read', '--for-duration', '7d']);
      expect(run.code).toBe(0);
      expect(run.out).toContain('outlook: a renewal inside the approval window: the app approves it at once, no reviewer needed');
      expect(pull).toMatchObject({ author: 'dev', head: { ref: 'grant/dev/db-read-2026-12-07' }, title: 'Renew db-read until 2026-12-14' });
      const renewed = await fx.showRemote('grant/dev/db-read-2026-12-07', 'access/grants/dev/db-read.yaml');
      expect(renewed).toBe(grantFile('dev', 'db-read', '2026-12-14T06:00:00Z', '2027-01-10T00:00:00Z', 'active')['access/grants/dev/db-read.yaml']);

      expect(await app.deliverOpened(pull!)).toBe(200);
      const check = app.latestCheck(pull!.head.sha)!;
      expect(check).toMatchObject({ status: 'completed', conclusion: 'success' });
      expect(pull!.requestedReviewers).toEqual([]);
      expect(pull!.reviews).toEqual([]);
    });

    it('after the approval expired: the manager must approve again', async () => {
      const { run, pull } = await openWithApp(grantFile('dev', 'db-read', '2026-11-20T00:00:00Z', '2026-12-01T00:00:00Z', 'expired'), '2026-12-07T06:00:00Z', ['--resource', 'db-read', '--for-duration', '7d']);
      expect(run.code).toBe(0);
      expect(run.out).toContain('outlook: needs approval: manager (mgr)');
      expect(pull!.body).toMatch(/\*\*manager\*\*: @mgr/);
      expect(await app.deliverOpened(pull!)).toBe(200);
      const check = app.latestCheck(pull!.head.sha)!;
      expect(check.conclusion).not.toBe('success');
      expect(check.output.title).toBe('1 approval missing');
      expect(pull!.requestedReviewers).toEqual(['mgr']);
    });
  });
});
