import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli.js';
import { runBin } from '../helpers/bin.js';
import { REPO_ROOT, copyExampleOrg, runCli } from '../helpers/cli.js';

const STACK_FRAME = /^\s+at .+[:(]/m;
const inProcess = (args: string[], cwd: string) => runCli(args, cwd);
const NOW = '2026-11-23T12:00:00Z';

/** Every command and subcommand that runs something, by its path of names (`people import-csv`). */
function leafCommands(): { path: string[]; command: Command }[] {
  const program = buildProgram({ out: () => {}, err: () => {}, exitCode: 0, cwd: REPO_ROOT, now: () => new Date(NOW) });
  const walk = (command: Command, path: string[]): { path: string[]; command: Command }[] =>
    command.commands.length === 0 ? [{ path, command }] : command.commands.flatMap((c) => walk(c, [...path, c.name()]));
  return walk(program, []);
}

/** The least a command line needs to get past its own usage checks: a value for each required option and argument. */
function minimalArgs(command: Command): string[] {
  return [...command.options.filter((o) => o.mandatory).flatMap((o) => [o.long!, 'x']), ...command.registeredArguments.filter((a) => a.required).map(() => 'x.csv')];
}

const WITH_DIR = leafCommands().filter(({ command }) => command.options.some((o) => o.long === '--dir'));

describe('the command line conventions, as a process', () => {
  let root: string;
  let cleanup: () => void;
  beforeAll(() => ({ root, cleanup } = copyExampleOrg()));
  afterAll(() => cleanup());

  it('--version prints the package version', async () => {
    const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    for (const flag of ['--version', '-V']) expect(await runBin([flag], root)).toEqual({ code: 0, out: `${version}\n`, err: '' });
  });

  it('--help marks each required option as required, and no other', async () => {
    const withRequired = leafCommands().filter(({ command }) => command.options.some((o) => o.mandatory));
    expect(withRequired.map((c) => c.path.join(' '))).toEqual(expect.arrayContaining(['check', 'request', 'report', 'import']));
    const runs = await Promise.all(withRequired.map(({ path }) => runBin([...path, '--help'], root)));
    for (const [i, { path, command }] of withRequired.entries()) {
      const run = runs[i]!;
      expect(run.code).toBe(0);
      const help = run.out.replace(/\n\s{10,}/g, ' ');
      for (const option of command.options) {
        const line = help.split('\n').find((l) => l.trimStart().startsWith(option.flags));
        expect([path.join(' '), option.flags, line?.includes('(required)')]).toEqual([path.join(' '), option.flags, option.mandatory]);
      }
    }
  });

  // The help text is the same in-process (each process test above shows it is what the executable prints).
  it('shows one default per option: a list option names its real default once, never "[]"', async () => {
    for (const { path, command } of leafCommands()) {
      const help = command.helpInformation().replace(/\n\s{10,}/g, ' ');
      expect(help).not.toContain('(default: [])');
      for (const line of help.split('\n')) expect([path.join(' '), line, (line.match(/\(default/g) ?? []).length <= 1]).toEqual([path.join(' '), line, true]);
    }
    const plan = (await runBin(['plan', '--help'], root)).out.replace(/\n\s{10,}/g, ' ');
    expect(plan).toMatch(/--state <file> .*\(default examples\/aws-state\.json\)$/m);
  });

  it('validate --format github prints nothing on a clean directory, and one annotation per problem otherwise', async () => {
    expect(await runBin(['validate', '--format', 'github', '--now', NOW], root)).toEqual({ code: 0, out: '', err: '' });
    const broken = copyExampleOrg();
    try {
      writeFileSync(join(broken.root, 'access/grants/kramer/prod-data-read.yaml'), 'user: kramer\n');
      const run = await runBin(['validate', '--format', 'github', '--now', NOW], broken.root);
      expect(run.code).toBe(2);
      expect(run.out).toMatch(/^::error file=access\/grants\/kramer\/prod-data-read\.yaml,line=\d+/m);
    } finally {
      broken.cleanup();
    }
  });

  it('finds every command that reads an access directory', () => {
    expect(WITH_DIR.map((c) => c.path.join(' ')).sort()).toEqual(
      expect.arrayContaining(['apply', 'audit', 'check', 'expire', 'inventory', 'people import-csv', 'plan', 'report', 'request', 'risk', 'validate']),
    );
  });

  // validate reports a missing directory itself, as located diagnostics in the format asked for.
  it.each(WITH_DIR.map((c) => [c.path.join(' '), c] as const))('%s: a missing, file or non-access --dir is exit 2 with a clear message', async (_name, { path, command }) => {
    mkdirSync(join(root, 'not-access'), { recursive: true });
    writeFileSync(join(root, 'a-file'), 'x\n');
    const cases: [string, RegExp][] = [
      ['nope', /no access directory "nope"|the access directory "nope" does not exist/],
      ['a-file', /"a-file" is a file, not an access directory|the access directory is not a directory/],
      ['not-access', /"not-access" is not an access directory \(it has no grantops\.yaml\)|grantops\.yaml is missing/],
    ];
    // The missing directory as a process; the other two in-process, the same code path.
    const runs = await Promise.all(cases.map(([dir], i) => (i === 0 ? runBin : inProcess)([...path, ...minimalArgs(command), '--dir', dir], root)));
    for (const [i, [dir, message]] of cases.entries()) {
      const run = runs[i]!;
      expect([dir, run.code]).toEqual([dir, 2]);
      expect(run.out + run.err).toMatch(message);
      expect(run.out + run.err).not.toMatch(STACK_FRAME);
    }
  });
});
