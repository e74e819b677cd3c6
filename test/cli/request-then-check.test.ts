import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, copyExampleOrg } from '../helpers/cli.js';

/*
 * The first real workflow of the README, as processes in a fresh repository of the example organisation:
 * `git config github.user kramer`, `grantops request`, then `grantops check` of the branch request made.
 * request and check must agree on who you are, and a configured identity must never lower what a change
 * needs (it counts only for asking for yourself).
 */
const BIN = join(REPO_ROOT, 'bin', 'grantops.js');
const NOW = '2026-11-23T12:00:00Z';
// Not a CI run's environment: its pull request event would name an author.
const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NODE_OPTIONS: '' };

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: ENV });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const grantops = (args: string[], cwd: string) => run(process.execPath, [BIN, ...args], cwd);
const git = (args: string[], cwd: string) => run('git', args, cwd);

describe('request, then check the branch it made', () => {
  let root: string;
  let cleanup: () => void;

  beforeAll(() => {
    // Jest's global set-up (test/setup/build-lib.mjs) builds lib/ from src/ once per run.
    expect(existsSync(join(REPO_ROOT, 'lib', 'cli.js'))).toBe(true);
  });
  beforeEach(() => {
    ({ root, cleanup } = copyExampleOrg());
    expect(git(['init', '-q', '-b', 'main'], root).code).toBe(0);
    // As `git config` writes them, without three more processes.
    appendFileSync(join(root, '.git', 'config'), '[user]\n\tname = Cosmo\n\temail = cosmo@elsewhere.example\n[commit]\n\tgpgsign = false\n');
    for (const args of [['add', '-A'], ['commit', '-q', '-m', 'the organisation']]) {
      expect(git(args, root).code).toBe(0);
    }
  });
  afterEach(() => cleanup());

  it('works with git config github.user, and exit 2 stays for an invalid directory', () => {
    git(['config', 'github.user', 'kramer'], root);
    const request = grantops(['request', '--resource', 'prod-data-read', '--for-duration', '7d', '--reason', 'x', '--now', NOW], root);
    expect(request.code).toBe(0);
    const branch = /grant\/kramer\/prod-data-read-[0-9-]+/.exec(request.out)?.[0];
    expect(branch).toBeDefined();

    const check = grantops(['check', '--base', 'main', '--head', branch!, '--now', NOW], root);
    expect(check.err).toBe('');
    expect(check.out).toContain('author kramer (from git config github.user');
    expect([0, 1]).toContain(check.code);

    // No identity at all is a usage question (64), not an invalid access directory (2).
    git(['config', '--unset', 'github.user'], root);
    const nobody = grantops(['check', '--base', 'main', '--head', branch!, '--now', NOW], root);
    expect(nobody.code).toBe(64);
    expect(nobody.err).toMatch(/cannot tell who asks/);
  });
});
