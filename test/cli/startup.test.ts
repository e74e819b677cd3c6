import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../helpers/bin.js';
import { REPO_ROOT } from '../helpers/cli.js';

const RECORDER = join(REPO_ROOT, 'test', 'helpers', 'record-imports.mjs');

/** The packages (by name) a `grantops ARGS` process loaded, and their files (as `package/path`). */
async function packagesLoaded(args: string[]): Promise<{ code: number; packages: string[]; files: string[] }> {
  const scratch = mkdtempSync(join(tmpdir(), 'grantops-imports-'));
  const log = join(scratch, 'imports');
  try {
    const code = await new Promise<number>((resolve) =>
      execFile(process.execPath, ['--import', RECORDER, BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, NODE_OPTIONS: '', RECORD_IMPORTS: log } }, (error) =>
        resolve(error ? (typeof error.code === 'number' ? error.code : 1) : 0),
      ),
    );
    const urls = readFileSync(log, 'utf8').split('\n');
    const files = [...new Set(urls.flatMap((u) => /\/node_modules\/(.+)$/.exec(u)?.slice(1) ?? []))].sort();
    const names = files.map((f) => /^(?:@[^/]+\/)?[^/]+/.exec(f)![0]);
    return { code, packages: [...new Set(names)].sort(), files };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

// What start-up costs is what it loads: each command loads what its action needs only when it runs.
describe('start-up loads only what the command line needs', () => {
  // cli.ts imports every command file to list them, so this one process resolves every command file's
  // static imports: a command that imports its use case at the top fails here.
  it('--help loads no package but commander', async () => {
    const { code, packages } = await packagesLoaded(['--help']);
    expect({ code, packages }).toEqual({ code: 0, packages: ['commander'] });
  });

  const validateRun = () => (validated ??= packagesLoaded(['validate', '--now', '2026-11-23T12:00:00Z']));
  let validated: ReturnType<typeof packagesLoaded> | undefined;

  it('validate of the example loads the parser and the schema checker, not the AWS SDK, GitHub or git clients', async () => {
    const run = await validateRun();
    expect(run.code).toBe(0);
    expect(run.packages).toEqual(expect.arrayContaining(['yaml']));
    expect(run.packages.filter((p) => /^@aws-sdk\/|^@smithy\/|^probot$|^@octokit\/|^simple-git$|^@cloud-copilot\/|^nodemailer$|^@slack\//.test(p))).toEqual([]);
  });

  // The schemas are checked by the code ajv generated from them (`npm run schemas`): no compiling at
  // start-up. What validate needs of ajv is the few helpers that code calls.
  it('validate of the example runs the generated schema code: of ajv only its run-time helpers, no compiler', async () => {
    const run = await validateRun();
    expect(run.code).toBe(0);
    expect(run.files).toContain('yaml/dist/parse/parser.js'); // a package's inner CommonJS files are seen
    const ajvFiles = run.files.filter((f) => /^ajv(-formats)?\//.test(f));
    expect(ajvFiles).toContain('ajv/dist/runtime/ucs2length.js');
    expect(ajvFiles.filter((f) => !/^ajv\/dist\/runtime\/|^ajv-formats\/dist\/formats\.js$/.test(f))).toEqual([]);
  });
});
