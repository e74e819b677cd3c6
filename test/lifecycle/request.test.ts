import { join } from 'node:path';
import { parse } from 'yaml';
import { startGitHubServer, type GitHubServer } from '../github-server/index.js';
import { issueUserToken } from '../github-server/user-tokens.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';
import { grantFile, ORG_FILES, S3_READ_POLICY, writeState } from './lifecycle-org.js';
import { runGrantops } from './run-cli.js';

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
    expect((await fx.git.raw(['log', '-1', '--format=%aI %cI', 'grant/dev/db-read-2026-12-07'])).trim()).toBe('2026-12-07T06:00:00+00:00 2026-12-07T06:00:00+00:00');
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

  it('marks a renewal of an unused grant in its pull request, judged up to when the access ended, and only with usage facts', async () => {
    const org = ORG_FILES['access/grantops.yaml']!.replace('expiry: { warnBefore: 3d }', 'expiry: { warnBefore: 3d }\nrisk: { unusedAfter: 45d }');
    fx = await createGitFixture({
      ...ORG_FILES,
      'access/grantops.yaml': org,
      ...grantFile('dev', 's3-read', '2026-12-05T00:00:00Z', '2027-01-15T00:00:00Z', 'expired'),
      ...grantFile('dev2', 's3-read', '2026-12-05T00:00:00Z', '2027-01-15T00:00:00Z', 'expired'),
    });
    const state = join(fx.root, 'state.json');
    await writeState(state, {}, {
      policies: [S3_READ_POLICY],
      usage: {
        // 65 days before dev's access ended; the 2 days since it ended are no sign of disuse.
        'dev.user': { ServiceLastAccessed: [{ ServiceNamespace: 's3', LastAuthenticated: '2026-10-01T00:00:00Z' }] },
        // 40 days before it ended: within the window, though 42 days before now.
        'dev2.user': { ServiceLastAccessed: [{ ServiceNamespace: 's3', LastAuthenticated: '2026-10-26T00:00:00Z' }] },
      },
    });
    const server: GitHubServer = await startGitHubServer();
    try {
      server.state.addInstallation(1, 'acme');
      const repo = server.state.addRepository({ owner: 'acme', name: 'access', gitDir: fx.bare, collaborators: ['dev', 'dev2'] });
      const env = (login: string) => ({ GITHUB_TOKEN: issueUserToken(server.state, login, 1), GITHUB_API_URL: server.apiUrl, GITHUB_REPOSITORY: 'acme/access' });
      const renew = (login: string, ...extra: string[]) =>
        runGrantops(['request', '--resource', 's3-read', '--for-duration', '30d', '--as', login, '--open-pr', '--now', '2026-12-07T06:00:00Z', ...extra], fx.clone, env(login));

      const dev = await renew('dev', '--state', state);
      expect(dev.err).toBe('');
      expect(dev.code).toBe(0);
      expect(dev.out).toContain('the pull request marks the grant: not used in 65 days');
      const pulls = () => [...repo.pulls.values()];
      expect(pulls()[0]!.body).toContain(
        '- **usage**: not used in 65 days before the access ended at 2026-12-05T00:00:00Z: `dev.user` last used s3 65 days before it ended (unused after 45 days, `risk.unusedAfter`)',
      );

      const dev2 = await renew('dev2', '--state', state);
      expect(dev2.code).toBe(0);
      expect(pulls()[1]!.body).not.toContain('**usage**');

      // The same facts, not read: the body of dev's pull request no longer says anything about use.
      const unread = await renew('dev');
      expect(unread.code).toBe(0);
      expect(unread.out).toContain('pull request #1 updated');
      expect(pulls()[0]!.body).not.toContain('**usage**');
    } finally {
      await server.close();
    }
  });
});
