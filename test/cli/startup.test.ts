import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

// What start-up costs is what it loads: each command loads what its action needs only when it runs.
describe('start-up loads only what the command line needs', () => {
  // cli.ts imports every command file to list them, so this one process resolves every command file's
  // static imports: a command that imports its use case at the top fails here.
  it('--help loads no package but commander', async () => {
    expect(await packagesLoaded(['--help'])).toEqual({ code: 0, packages: ['commander'] });
  });

  it('validate of the example loads the parser and the schema checker, not the AWS SDK, GitHub or git clients', async () => {
    const run = await packagesLoaded(['validate', '--now', '2026-11-23T12:00:00Z']);
    expect(run.code).toBe(0);
    expect(run.packages).toEqual(expect.arrayContaining(['ajv', 'yaml']));
    expect(run.packages.filter((p) => /^@aws-sdk\/|^@smithy\/|^probot$|^@octokit\/|^simple-git$|^@cloud-copilot\/|^nodemailer$|^@slack\//.test(p))).toEqual([]);
  });
});
