import { join } from 'node:path';
import { issueUserToken } from '../github-server/user-tokens.js';
import { LifecycleApp } from './app-on-fixture.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';
import { grantFile, ORG_FILES, writeState } from './lifecycle-org.js';
import { runGrantops } from './run-cli.js';

const PEOPLE = ['owner', 'mgr', 'dev', 'dev2', 'res-owner', 'finance'];

/** Pull requests the lifecycle commands open, judged by the real app from a signed webhook. */
describe('pull requests from grantops request and expire, judged by the app', () => {
  let fx: GitFixture;
  let app: LifecycleApp;
  afterEach(async () => {
    await app.close();
    await fx.cleanup();
  });

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

  it('the revocation pull request passes with no reviewer: giving access up needs nobody', async () => {
    fx = await createGitFixture({ ...ORG_FILES, ...grantFile('dev', 'db-read', '2026-12-07T00:00:00Z', '2027-01-10T00:00:00Z'), ...grantFile('dev2', 'prod-db', '2026-12-01T00:00:00Z', '2026-12-05T00:00:00Z') });
    app = await LifecycleApp.start(fx.bare, new Date('2026-12-07T06:00:00Z'), PEOPLE);
    const state = join(fx.root, 'state.json');
    await writeState(state, {});
    const env = { GITHUB_TOKEN: issueUserToken(app.server.state, 'github-actions[bot]', app.installationId), GITHUB_API_URL: app.server.apiUrl, GITHUB_REPOSITORY: 'acme/access' };
    const run = await runGrantops(['expire', '--provider', 'file', '--state', state, '--now', '2026-12-07T06:00:00Z', '--open-pr'], fx.clone, env);
    expect(run.code).toBe(0);
    const pull = [...app.repo.pulls.values()][0]!;
    expect(pull.author).toBe('github-actions[bot]');
    expect(await app.deliverOpened(pull)).toBe(200);
    expect(app.latestCheck(pull.head.sha)).toMatchObject({ status: 'completed', conclusion: 'success' });
    expect(pull.requestedReviewers).toEqual([]);
  });
});
