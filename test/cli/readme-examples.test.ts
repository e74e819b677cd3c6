import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBin } from '../helpers/bin.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

/** `npx grantops ...` lines of the README that read the example organisation on this machine alone. */
function exampleCommands(): { line: string; args: string[] }[] {
  // A command continued on the next line (a trailing backslash) is one command line.
  const lines = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').replace(/\\\n\s*/g, ' ').split('\n');
  return lines
    .filter((l) => /^npx grantops (validate|plan|apply|report|expire|risk|systems)\b/.test(l))
    .filter((l) => !/--provider aws|--open-pr/.test(l))
    .map((line) => {
      const command = line.replace(/\s+#.*$/, '');
      const args = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(2);
      return { line, args };
    });
}

const COMMANDS = exampleCommands();
// Each command's first README line runs as the executable a user starts (start-up, exit code, streams);
// the other lines of the same command run in-process, on the real clock as a process would, through the
// same `main`: a process per line would add only start-up time.
const AS_PROCESS = new Set(['validate', 'plan', 'report', 'expire', 'risk'].map((name) => COMMANDS.find((c) => c.args[0] === name)?.line));

// The example is dated around one day; a command that judges grants either fixes that day with --now or
// says it judges at the current time, so what the README promises does not change with the calendar.
describe('the README\'s commands on the example organisation, as written', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'grantops-readme-'));
    for (const dir of ['access', 'examples', 'test/fixtures']) cpSync(join(REPO_ROOT, dir), join(root, dir), { recursive: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds them', () => {
    expect(COMMANDS.map((c) => c.args[0])).toEqual(expect.arrayContaining(['validate', 'plan', 'apply', 'report', 'expire', 'risk', 'systems']));
  });

  it.each(COMMANDS.map((c) => [c.line, c] as const))('%s', async (_line, { line, args }) => {
    const judgesGrants = ['validate', 'plan', 'apply', 'report', 'expire'].includes(args[0]!);
    if (judgesGrants) expect([line, args.includes('--now') || /at the current time/.test(line)]).toEqual([line, true]);
    // apply changes the state files: it runs on a copy of its own, so every other command reads them as shipped.
    const cwd = args[0] === 'apply' ? mkdtempSync(join(tmpdir(), 'grantops-readme-apply-')) : root;
    if (cwd !== root) cpSync(root, cwd, { recursive: true });
    const run = AS_PROCESS.has(line) ? await runBin(args, cwd) : await runCli(args, cwd, new Date());
    if (cwd !== root) rmSync(cwd, { recursive: true, force: true });
    expect([line, run.code, run.err]).toEqual([line, 0, '']);
    if (args.includes('--now')) expect(run.out).not.toMatch(/ warning grant\//);
  });

  it('validate of the example is clean on its day', async () => {
    expect(await runBin(['validate', '--now', '2026-11-24T00:00:00Z'], root)).toEqual({ code: 0, out: 'valid (0 warnings)\n', err: '' });
  });
});
