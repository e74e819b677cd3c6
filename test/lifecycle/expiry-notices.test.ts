import { startGitHubServer, type GitHubServer, type RepoState } from '../github-server/index.js';
import { createExpiryWorld } from './expiry-world.js';
import type { GitFixture } from './git-fixture.js';
import { grantFile, ORG_FILES, readHoldings, S3_READ, S3_READ_POLICY, type Holdings, type StateExtras } from './lifecycle-org.js';
import { runGrantops } from './run-cli.js';

const ORG_WITH_WINDOW = ORG_FILES['access/grantops.yaml']!.replace('expiry: { warnBefore: 3d }', 'expiry: { warnBefore: 3d }\nrisk: { unusedAfter: 45d }');

describe('expiry notices: marked when the grant is unused, closed when they no longer hold', () => {
  let server: GitHubServer;
  let fx: GitFixture;
  let repo: RepoState;
  let env: Record<string, string>;
  let state: string;

  async function setUp(files: Record<string, string>, holdings: Holdings, extras: StateExtras = {}): Promise<void> {
    ({ fx, repo, env, state } = await createExpiryWorld(server, files, holdings, extras));
  }

  const expire = (now: string, ...extra: string[]) => runGrantops(['expire', '--provider', 'file', '--state', state, '--now', now, '--open-pr', ...extra], fx.clone, env);
  const noticeFor = (user: string) => [...repo.issues.values()].find((i) => i.labels.includes('grantops:expiring') && i.assignees.includes(user));
  const commentsOn = (number: number) => [...repo.comments.values()].filter((c) => c.issueNumber === number).map((c) => c.body);

  beforeEach(async () => {
    server = await startGitHubServer();
    server.state.addInstallation(1, 'acme');
  });
  afterEach(async () => {
    await server.close();
    await fx.cleanup();
  });

  it('marks a grant whose services went unused beyond risk.unusedAfter, and says nothing of a used one or one without facts', async () => {
    await setUp(
      {
        'access/grantops.yaml': ORG_WITH_WINDOW,
        ...grantFile('dev', 's3-read', '2026-12-09T00:00:00Z', '2027-01-15T00:00:00Z'),
        ...grantFile('mgr', 's3-read', '2026-12-09T00:00:00Z', '2027-01-15T00:00:00Z'),
        ...grantFile('dev2', 'lake-read', '2026-12-09T00:00:00Z', '2027-01-15T00:00:00Z'),
      },
      { 'dev.user': { policies: [S3_READ] }, mgr: { policies: [S3_READ] }, 'dev2.user': { policies: [S3_READ] } },
      {
        policies: [S3_READ_POLICY],
        usage: {
          // 52 days before the run; lambda does not count: the grant hands out s3 only.
          'dev.user': { ServiceLastAccessed: [{ ServiceNamespace: 's3', LastAuthenticated: '2026-10-16T00:00:00Z' }, { ServiceNamespace: 'lambda', LastAuthenticated: '2026-12-06T00:00:00Z' }] },
          mgr: { ServiceLastAccessed: [{ ServiceNamespace: 's3', LastAuthenticated: '2026-11-27T00:00:00Z' }] },
        },
      },
    );
    const run = await expire('2026-12-07T06:00:00Z');
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    expect(noticeFor('dev')!.body).toContain('**Not used in 52 days**: `dev.user` last used s3 52 days ago (access unused for 45 days is marked: `risk.unusedAfter`).');
    for (const user of ['mgr', 'dev2']) expect(noticeFor(user)!.body).not.toMatch(/not used|recorded use|last used/i);
    expect(run.out).toContain('expiring access/grants/dev/s3-read.yaml: access ends 2026-12-09T00:00:00Z; notice #1 opened (marked: not used in 52 days)');
    // The renewal line asks for s3-read's real limit (low: 30d).
    expect(noticeFor('dev')!.body).toContain('grantops request --resource s3-read --for-duration 30d');
  });

  it('takes --unused-after over grantops.yaml, and says "no recorded use" when IAM has none for the services', async () => {
    await setUp(
      {
        'access/grantops.yaml': ORG_WITH_WINDOW,
        ...grantFile('dev', 's3-read', '2026-12-09T00:00:00Z', '2027-01-15T00:00:00Z'),
        ...grantFile('dev2', 's3-read', '2026-12-09T00:00:00Z', '2027-01-15T00:00:00Z'),
      },
      {},
      {
        policies: [S3_READ_POLICY],
        usage: {
          'dev.user': { ServiceLastAccessed: [{ ServiceNamespace: 's3', LastAuthenticated: '2026-10-16T00:00:00Z' }] },
          'dev2.user': { ServiceLastAccessed: [{ ServiceNamespace: 's3' }] },
        },
      },
    );
    expect((await expire('2026-12-07T06:00:00Z', '--unused-after', '60d')).code).toBe(0);
    expect(noticeFor('dev')!.body).not.toMatch(/not used/i);
    expect(noticeFor('dev2')!.body).toContain('**No recorded use**: IAM has no record of `dev2.user` using s3 within its tracking period');
  });

  it('closes the notice of a renewed grant and of a revoked one, each once with a comment saying why', async () => {
    await setUp(
      {
        ...grantFile('dev', 'logs-read', '2026-12-09T00:00:00Z', '2027-01-15T00:00:00Z'),
        ...grantFile('dev2', 's3-read', '2026-12-09T00:00:00Z', '2027-01-15T00:00:00Z'),
      },
      { 'dev.user': { groups: ['log-readers'] }, 'dev2.user': { policies: [S3_READ] } },
    );
    expect((await expire('2026-12-07T06:00:00Z')).code).toBe(0);
    const devNotice = noticeFor('dev')!;
    const dev2Notice = noticeFor('dev2')!;
    expect([devNotice.state, dev2Notice.state]).toEqual(['open', 'open']);
    expect(devNotice.body).toContain('grantops request --resource logs-read --for-duration 30d');

    // dev extends the access (merged on main); a dry run says what it would close and changes nothing.
    await fx.commitOnMain(grantFile('dev', 'logs-read', '2026-12-20T00:00:00Z', '2027-01-15T00:00:00Z'), 'Extend logs-read for dev');
    const mark = server.requests.length;
    const dry = await expire('2026-12-08T06:00:00Z', '--dry-run');
    expect(dry.out).toContain(`would close notice #${devNotice.number} (access/grants/dev/logs-read.yaml, 2026-12-09): renewed`);
    expect(server.requestsSince(mark).filter((r) => r.method !== 'GET')).toEqual([]);
    expect(devNotice.state).toBe('open');

    const renewed = await expire('2026-12-08T06:00:00Z');
    expect(renewed.code).toBe(0);
    expect(renewed.out).toContain(`closed notice #${devNotice.number} (access/grants/dev/logs-read.yaml, 2026-12-09): renewed`);
    expect(devNotice.state).toBe('closed');
    expect(commentsOn(devNotice.number)).toEqual(['The grant was renewed: its access now ends at 2026-12-20T00:00:00Z. Closing this notice; a new one comes before the new end.']);
    expect(dev2Notice.state).toBe('open');

    // dev2's access lapses: expire removes it, opens the revocation pull request and closes the notice.
    const lapsed = await expire('2026-12-09T06:00:00Z');
    expect(lapsed.code).toBe(0);
    expect(await readHoldings(state)).toMatchObject({ 'dev2.user': { policies: [] } });
    const pull = [...repo.pulls.values()][0]!;
    expect(dev2Notice.state).toBe('closed');
    expect(commentsOn(dev2Notice.number)).toEqual([`The access ended at 2026-12-09T00:00:00Z and \`grantops expire\` revoked it (recorded in #${pull.number}). Closing this notice.`]);
    expect(pull.body).toContain('- @dev2: `grantops request --resource s3-read --for-duration 30d` (renewable until 2027-01-15T00:00:00Z)');

    // Later runs find nothing left to close: no comment, no edit, twice over.
    const before = server.requests.length;
    for (const now of ['2026-12-09T07:00:00Z', '2026-12-10T07:00:00Z']) expect((await expire(now)).code).toBe(0);
    expect(server.requestsSince(before, { path: /\/issues\/\d+(\/comments)?$/ }).filter((r) => r.method !== 'GET')).toEqual([]);
    expect([commentsOn(devNotice.number).length, commentsOn(dev2Notice.number).length]).toEqual([1, 1]);
  });

  it('closes the notice of a grant whose file was deleted', async () => {
    await setUp(grantFile('dev', 'logs-read', '2026-12-09T00:00:00Z', '2027-01-15T00:00:00Z'), { 'dev.user': { groups: ['log-readers'] } });
    expect((await expire('2026-12-07T06:00:00Z')).code).toBe(0);
    await fx.commitOnMain({ 'access/grants/dev/logs-read.yaml': null }, 'dev gives logs-read up');
    expect((await expire('2026-12-08T06:00:00Z')).code).toBe(0);
    expect(noticeFor('dev')!.state).toBe('closed');
    expect(commentsOn(noticeFor('dev')!.number)).toEqual(['`access/grants/dev/logs-read.yaml` no longer exists: the access was given up or its revocation recorded. Closing this notice.']);
  });
});
