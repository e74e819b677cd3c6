import { parse } from 'yaml';
import { createGitFixture, type GitFixture } from './git-fixture.js';
import { ORG_FILES } from './lifecycle-org.js';
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
});
