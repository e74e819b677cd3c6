import { parse } from 'yaml';
import { createGitFixture, type GitFixture } from '../lifecycle/git-fixture.js';
import { runGrantops } from '../lifecycle/run-cli.js';
import { BREAK_GLASS_FILES } from './break-glass-org.js';

describe('grantops request --break-glass', () => {
  let fx: GitFixture;
  afterEach(() => fx.cleanup());
  const NOW = '2026-12-07T03:00:00Z';

  it('writes the grant marked break-glass, with no approvalExpires, and says loudly that it passes at once and who must ratify', async () => {
    fx = await createGitFixture(BREAK_GLASS_FILES);
    const run = await runGrantops(['request', '--resource', 'prod-db', '--for-duration', '3h', '--break-glass', '--reason', 'INC-123 orders are down', '--as', 'dev', '--now', NOW], fx.clone);
    expect(run.err).toBe('');
    expect(run.out).not.toMatch(/ error /);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^BREAK-GLASS: Request prod-db until 2026-12-07 06:00/m);
    expect(run.out).toMatch(/\*\*BREAK-GLASS\*\*: approved at once/);
    expect(run.out).toMatch(/to ratify within 12h of the merge/);
    expect(run.out).toMatch(/\*\*manager\*\*: @mgr/);
    expect(run.out).toMatch(/\*\*owner\*\*: @res-owner/);
    expect(run.out).toMatch(/outlook: break-glass: the app passes it at once/);
    const text = await fx.git.raw(['show', 'grant/dev/prod-db-2026-12-07:access/grants/dev/prod-db.yaml']);
    expect(parse(text)).toEqual({ user: 'dev', resource: 'prod-db', reason: 'INC-123 orders are down', expires: '2026-12-07T06:00:00Z', status: 'active', breakGlass: true });
  });

  it.each([
    ['someone not on call', ['--as', 'dev2'], /break-glass\/not-eligible/],
    ['longer than the break-glass maxAccess', ['--as', 'dev', '--for-duration', '5h'], /break-glass\/max-access/],
    ['for someone else', ['--as', 'mgr', '--for', 'dev'], /request\/break-glass .*only ever asked for yourself/],
    ['with an approval to renew under', ['--as', 'dev', '--approval-ttl', '1d'], /request\/break-glass .*--approval-ttl/],
  ])('refuses break-glass %s and commits nothing', async (_name, extra, rule) => {
    fx = await createGitFixture(BREAK_GLASS_FILES);
    const args = ['request', '--resource', 'prod-db', '--break-glass', '--reason', 'INC-123', '--now', NOW, '--for-duration', '3h', ...extra];
    const run = await runGrantops(args, fx.clone);
    expect(run.code).toBe(2);
    expect(run.out).toMatch(rule);
    expect(await fx.git.raw(['branch', '--list', 'grant/*'])).toBe('');
  });
});
