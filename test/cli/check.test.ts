import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { ORG, RESOURCES, grantYaml } from '../helpers/repo.js';
import { runCli } from '../helpers/cli.js';

/*
 * `grantops check` on real repositories in temporary folders: a `main` branch holding the rules and a
 * `feature` branch holding the request, read by git with no checkout of either.
 */
const NOW = ['--now', '2026-11-23T12:00:00Z'];
const PEOPLE = `- { login: owner, name: Org Owner, email: owner@test.example, roles: [executive], aws: { user: owner } }
- { login: boss, name: Big Boss, manager: owner, aws: { user: boss } }
- { login: mgr, name: Manager, email: mgr@test.example, manager: boss, aws: { user: mgr } }
- { login: dev, name: Developer, email: dev@test.example, manager: mgr, aws: { user: dev } }
- { login: dev2, name: Developer Two, manager: mgr, aws: { user: dev2 } }
- { login: res-owner, name: Resource Owner, manager: boss, aws: { user: res-owner } }
`;
const DEV_DB = 'access/grants/dev/prod-db.yaml';
const grant = (over: Record<string, string> = {}) =>
  grantYaml({ user: 'dev', resource: 'prod-db', reason: 'debug OPS-1', expires: '2026-11-28T00:00:00Z', approvalExpires: '2027-01-10T00:00:00Z', status: 'active', ...over });

let root: string;
let git: SimpleGit;

function write(files: Record<string, string | null>): void {
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, path);
    if (content === null) {
      unlinkSync(abs);
      continue;
    }
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

async function commit(files: Record<string, string | null>, message: string, email = 'dev@test.example'): Promise<void> {
  write(files);
  await git.add(['-A']);
  await git.raw(['-c', `user.email=${email}`, '-c', 'user.name=Someone', 'commit', '-q', '-m', message]);
}

/** main with the base rules (and `baseFiles`), then `feature` branched off it with `headFiles`. */
async function setUp(baseFiles: Record<string, string | null>, headFiles: Record<string, string | null>, headEmail?: string): Promise<void> {
  await commit(
    {
      'access/grantops.yaml': ORG,
      'access/people.yaml': PEOPLE,
      ...Object.fromEntries(Object.entries(RESOURCES).map(([id, text]) => [`access/resources/aws-prod/${id}.yaml`, text])),
      ...baseFiles,
    },
    'rules',
  );
  await git.checkoutLocalBranch('feature');
  await commit(headFiles, 'request', headEmail);
  await git.checkout('main');
}

const check = (...args: string[]) => runCli(['check', '--base', 'main', '--head', 'feature', ...NOW, ...args], root);
const json = async (...args: string[]) => {
  const run = await check('--format', 'json', ...args);
  return { ...run, body: JSON.parse(run.out) as Record<string, unknown> & { grants: Record<string, unknown>[]; errors: Record<string, unknown>[] } };
};

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'grantops-check-'));
  git = simpleGit({ baseDir: root });
  await git.init(['-q', '-b', 'main']);
  // As `git config` writes them, without three more processes.
  appendFileSync(join(root, '.git', 'config'), '[user]\n\tname = Test\n\temail = test@test.example\n[commit]\n\tgpgsign = false\n');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('grantops check', () => {
  it('exits 1 while approvals are missing, naming who can approve', async () => {
    await setUp({}, { [DEV_DB]: grant() });
    const run = await check('--author', 'dev');
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^APPROVALS MISSING: 2 approvals missing/);
    expect(run.out).toMatch(/manager: MISSING \(can approve: mgr\)/);
    expect(run.out).toMatch(/owner: MISSING \(can approve: res-owner\)/);
  });

  it('exits 0 once the listed approvals meet every role, and prints the JSON contract', async () => {
    await setUp({}, { [DEV_DB]: grant() });
    const { code, body } = await json('--author', 'dev', '--approvals', 'mgr, res-owner');
    expect(code).toBe(0);
    expect(body).toMatchObject({ approved: true, status: 'approved', errors: [], author: 'dev' });
    expect(body.grants).toEqual([
      expect.objectContaining({
        file: DEV_DB,
        user: 'dev',
        resource: 'prod-db',
        change: 'new',
        required: ['manager', 'owner'],
        satisfiedBy: [{ role: 'manager', login: 'mgr' }, { role: 'owner', login: 'res-owner' }],
        missing: [],
      }),
    ]);
  });

  it('the author listed in --approvals does not count', async () => {
    await setUp({}, { [DEV_DB]: grant() });
    const { code, body } = await json('--author', 'mgr', '--approvals', 'mgr,res-owner');
    expect(code).toBe(1);
    expect(body.grants[0]).toMatchObject({ missing: [expect.objectContaining({ role: 'manager', candidates: ['boss'] })] });
  });

  it('exits 2 with located errors for an invalid grant', async () => {
    await setUp({}, { [DEV_DB]: grant({ expires: '2026-12-20T00:00:00Z' }) });
    const { code, body } = await json('--author', 'dev', '--approvals', 'mgr,res-owner');
    expect(code).toBe(2);
    expect(body.approved).toBe(false);
    expect(body.errors).toEqual([{ file: DEV_DB, line: 4, column: 10, rule: 'grant/max-access', message: expect.stringMatching(/more than 1w/), severity: 'error' }]);
  });

  it('never takes the author from the commit email: with no identity it refuses (exit 64) and says why', async () => {
    // dev commits as their manager: were the email believed, the manager role would move up a level.
    await setUp({}, { [DEV_DB]: grant() }, 'mgr@test.example');
    const unknown = await check();
    expect(unknown.code).toBe(64);
    expect(unknown.err).toMatch(/cannot tell who asks: pass --author.*never used/);
  });

  it('takes git config github.user as request does, but only for asking for oneself', async () => {
    await setUp({}, { [DEV_DB]: grant() }, 'mgr@test.example');
    await git.addConfig('github.user', 'dev');
    const self = await json('--approvals', 'mgr,res-owner');
    expect(self.code).toBe(0);
    expect(self.body.author).toBe('dev');
    expect(self.body.grants[0]).toMatchObject({ status: 'approved' });
    expect((await check()).out).toMatch(/author dev \(from git config github\.user: configured, not proven/);

    // A configured manager is not a proven one: asking on someone's behalf needs --author or the event.
    await git.addConfig('github.user', 'mgr');
    const behalf = await json('--approvals', 'boss,res-owner');
    expect(behalf.code).toBe(2);
    expect(behalf.body.errors).toEqual([expect.objectContaining({ file: DEV_DB, rule: 'approval/on-behalf', message: expect.stringMatching(/only configured .* not proven/) })]);
  });

  it('inside GitHub Actions takes the author from the pull request event', async () => {
    await setUp({}, { [DEV_DB]: grant() }, 'owner@test.example');
    const eventPath = join(root, '..', `event-${Date.now()}.json`);
    writeFileSync(eventPath, JSON.stringify({ pull_request: { number: 3, user: { login: 'mgr' } } }));
    try {
      const run = await runCli(['check', '--base', 'main', '--head', 'feature', ...NOW, '--format', 'json', '--approvals', 'mgr,res-owner'], root, undefined, {
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_PATH: eventPath,
      });
      const body = JSON.parse(run.out) as { author: string; grants: { missing: { role: string; candidates: string[] }[] }[] };
      expect(body.author).toBe('mgr');
      // mgr asks on dev's behalf (proven), so mgr cannot approve as manager: the role moves up to boss.
      expect(run.code).toBe(1);
      expect(body.grants[0]!.missing).toEqual([expect.objectContaining({ role: 'manager', candidates: ['boss'] })]);
    } finally {
      rmSync(eventPath, { force: true });
    }
  });

  it('a stranger asking on behalf is invalid', async () => {
    await setUp({}, { [DEV_DB]: grant() });
    const { code, body } = await json('--author', 'dev2', '--approvals', 'mgr,res-owner');
    expect(code).toBe(2);
    expect(body.errors).toEqual([expect.objectContaining({ file: DEV_DB, line: 1, column: 7, rule: 'approval/on-behalf' })]);
  });

  it('judges by the rules at the base tip, not those of the branch or of where it branched off', async () => {
    await setUp({}, {
      'access/resources/aws-prod/prod-db.yaml': `${RESOURCES['prod-db']!}sensitivity: none\n`,
      'access/grants/dev/logs-read.yaml': grant({ resource: 'logs-read' }),
    });
    // After the branch was cut, main raised logs-read to high.
    await commit({ 'access/resources/aws-prod/logs-read.yaml': RESOURCES['logs-read']!.replace('sensitivity: low', 'sensitivity: high') }, 'raise logs-read');
    const { code, body } = await json('--author', 'dev', '--approvals', 'mgr');
    expect(code).toBe(1);
    expect(body.grants[0]).toMatchObject({ required: ['manager', 'owner'], sensitivity: 'high' });
    expect(body.rulesChange).toMatchObject({ status: 'missing', candidates: ['owner'], files: ['access/resources/aws-prod/prod-db.yaml'] });
  });

  it('refuses a path both the base and the head changed since they parted (the merge would combine them)', async () => {
    await setUp({}, { 'access/resources/aws-prod/logs-read.yaml': RESOURCES['logs-read']!.replace('sensitivity: low', 'sensitivity: none') });
    await commit({ 'access/resources/aws-prod/logs-read.yaml': RESOURCES['logs-read']!.replace('sensitivity: low', 'sensitivity: high') }, 'raise logs-read');
    const run = await check('--author', 'dev');
    expect(run.code).toBe(64);
    expect(run.err).toMatch(/logs-read\.yaml changed both on main and on the head.*merge main into the head/);
  });

  it('a renewal inside the approval window passes with no reviewer; giving up passes too', async () => {
    await setUp(
      {
        [DEV_DB]: grant({ status: 'expired', expires: '2026-11-20T00:00:00Z' }),
        'access/grants/dev/logs-read.yaml': grant({ resource: 'logs-read' }),
      },
      { [DEV_DB]: grant({ expires: '2026-11-29T00:00:00Z' }), 'access/grants/dev/logs-read.yaml': null },
    );
    const { code, body } = await json('--author', 'dev');
    expect(code).toBe(0);
    expect(body.grants.map((g) => [g.file, g.change])).toEqual([
      ['access/grants/dev/logs-read.yaml', 'give-up'],
      [DEV_DB, 'renewal'],
    ]);
  });

  it('a grant moved to someone else is a give-up plus a new request', async () => {
    await setUp({ [DEV_DB]: grant() }, { [DEV_DB]: null, 'access/grants/dev2/prod-db.yaml': grant({ user: 'dev2' }) });
    const { code, body } = await json('--author', 'mgr');
    expect(code).toBe(1);
    expect(body.grants.map((g) => [g.file, g.change])).toEqual([
      [DEV_DB, 'give-up'],
      ['access/grants/dev2/prod-db.yaml', 'new'],
    ]);
  });

  it('works from a subdirectory with --dir relative to it, and fails clearly on an unknown ref', async () => {
    await setUp({}, { [DEV_DB]: grant() });
    const fromSub = await runCli(['check', '--base', 'main', '--head', 'feature', ...NOW, '--author', 'dev', '--dir', '.', '--format', 'json'], join(root, 'access'));
    expect(fromSub.code).toBe(1);
    expect(JSON.parse(fromSub.out).grants[0].file).toBe(DEV_DB);

    const unknown = await runCli(['check', '--base', 'main', '--head', 'nope', ...NOW, '--author', 'dev'], root);
    expect(unknown.code).toBe(64);
    expect(unknown.err).toMatch(/"nope" names no branch/);
  });

  it('a grant file replaced by a symlink is invalid, not a give-up', async () => {
    await setUp({ [DEV_DB]: grant(), 'access/grants/dev/logs-read.yaml': grant({ resource: 'logs-read' }) }, {});
    await git.checkout('feature');
    unlinkSync(join(root, DEV_DB));
    symlinkSync('logs-read.yaml', join(root, DEV_DB));
    await commit({}, 'symlink');
    await git.checkout('main');
    const { code, body } = await json('--author', 'dev');
    expect(code).toBe(2);
    expect(body.errors).toEqual([expect.objectContaining({ file: DEV_DB, rule: 'file/unreadable' })]);
  });

  it('nothing under access/ changed: approved', async () => {
    await setUp({}, { 'README.md': 'hello\n' });
    const run = await check('--author', 'dev');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/touches nothing under the access directory/);
  });
});
