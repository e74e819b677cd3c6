import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, copyExampleOrg } from '../helpers/cli.js';

const BIN = join(REPO_ROOT, 'bin', 'grantops.js');

function grantops(args: string[], cwd: string) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

// Stack frames as Node prints them ("    at fn (file:line:col)"): a user must never see one.
const STACK_FRAME = /^\s+at .+[:(]/m;

describe('the grantops executable', () => {
  let root: string;
  let cleanup: () => void;

  beforeAll(() => {
    // Type errors are the type check's to report; tsc still emits, and this suite is about the executable.
    spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(existsSync(join(REPO_ROOT, 'lib', 'cli.js'))).toBe(true);
  }, 120_000);
  beforeEach(() => ({ root, cleanup } = copyExampleOrg()));
  afterEach(() => cleanup());

  it('prints its help from any folder, by absolute path', () => {
    const run = grantops(['--help'], root);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^Usage: grantops/m);
    expect(run.out).toMatch(/^\s+validate /m);
    expect(run.out).toMatch(/^\s+people /m);
  });

  it('validates the example organisation from its folder', () => {
    const run = grantops(['validate', '--now', '2026-11-23T12:00:00Z'], root);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out.trim()).toBe('valid (0 warnings)');
  });

  const broken: [string, (root: string) => void][] = [
    ['people.yaml is a directory', (r) => { rmSync(join(r, 'access/people.yaml')); mkdirSync(join(r, 'access/people.yaml')); }],
    ['a file is not UTF-8', (r) => writeFileSync(join(r, 'access/grantops.yaml'), Buffer.from([0x6f, 0x72, 0x67, 0x3a, 0x20, 0xff, 0x0a]))],
    ['an alias bomb', (r) => writeFileSync(join(r, 'access/grants/kramer/prod-data-read.yaml'), 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n')],
    ['a key that is a list', (r) => writeFileSync(join(r, 'access/grants/kramer/prod-data-read.yaml'), '[user]: kramer\n')],
    ['the access directory is a file', (r) => { rmSync(join(r, 'access'), { recursive: true }); writeFileSync(join(r, 'access'), 'not a folder\n'); }],
  ];

  // The formats are covered in-process (validate.test.ts); here, what reaches a terminal from the real process.
  it.each(broken)('%s: exit 2, a located error, no stack trace', (_name, breakIt) => {
    breakIt(root);
    const run = grantops(['validate', '--now', '2026-11-23T12:00:00Z'], root);
    expect(run.code).toBe(2);
    expect(run.out).toMatch(/^access[^:]*:\d+:\d+ error [a-z-]+\/[a-z-]+ /m);
    expect(run.out).not.toMatch(STACK_FRAME);
    expect(run.err).not.toMatch(STACK_FRAME);
    expect(run.err).not.toMatch(/Warning|Error/);
  });

  it('answers a mistyped command with exit 64 (usage) and usage, not a stack trace', () => {
    const run = grantops(['validtae'], root);
    expect(run.code).toBe(64);
    expect(run.err).toMatch(/unknown command 'validtae'/);
    expect(run.err).not.toMatch(STACK_FRAME);
  });
});
