import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli.js';
import { BIN } from '../helpers/bin.js';
import { REPO_ROOT } from '../helpers/cli.js';

const RECORDER = join(REPO_ROOT, 'test', 'helpers', 'record-imports.mjs');

/** The packages (by name) a `grantops ARGS` process loaded. */
async function packagesLoaded(args: string[]): Promise<{ code: number; packages: string[] }> {
  const scratch = mkdtempSync(join(tmpdir(), 'grantops-imports-'));
  const log = join(scratch, 'imports');
  try {
    const code = await new Promise<number>((resolve) =>
      execFile(process.execPath, ['--import', RECORDER, BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: '', RECORD_IMPORTS: log } }, (error) =>
        resolve(error ? (typeof error.code === 'number' ? error.code : 1) : 0),
      ),
    );
    const urls = readFileSync(log, 'utf8').split('\n');
    const names = urls.flatMap((u) => {
      const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
      return m ? [m[1]!] : [];
    });
    return { code, packages: [...new Set(names)].sort() };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const commandPaths = (() => {
  const program = buildProgram({ out: () => {}, err: () => {}, exitCode: 0, cwd: REPO_ROOT, now: () => new Date() });
  const walk = (command: Command, path: string[]): string[][] => (command.commands.length === 0 ? [path] : command.commands.flatMap((c) => walk(c, [...path, c.name()])));
  return walk(program, []);
})();

// What start-up costs is what it loads: each command loads what its action needs only when it runs.
describe('start-up loads only what the command line needs', () => {
  it('--help and every command\'s --help load no package but commander', async () => {
    const runs = await Promise.all([[], ...commandPaths].map(async (path) => ({ path: path.join(' '), ...(await packagesLoaded([...path, '--help'])) })));
    for (const run of runs) expect(run).toEqual({ path: run.path, code: 0, packages: ['commander'] });
  });

  it('validate of the example loads the parser and the schema checker, not the AWS SDK, GitHub or git clients', async () => {
    const run = await packagesLoaded(['validate', '--now', '2026-11-23T12:00:00Z']);
    expect(run.code).toBe(0);
    expect(run.packages).toEqual(expect.arrayContaining(['ajv', 'yaml']));
    expect(run.packages.filter((p) => /^@aws-sdk\/|^@smithy\/|^probot$|^@octokit\/|^simple-git$|^@cloud-copilot\/|^nodemailer$|^@slack\//.test(p))).toEqual([]);
  });
});
