import { posix, relative, resolve, sep } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { IamProviderKind } from '../ports.js';
import type { ReportOptions } from '../usecases/report.js';
import { EXIT, choice, parseNowOption, type CliIo } from './io.js';

interface ReportCliOptions {
  html: string;
  dir: string;
  provider: IamProviderKind;
  state: string[];
  system: string[];
  now?: Date;
  days: number;
  historyDays: number;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const wholeDays = (value: string) => {
  if (!/^[1-9][0-9]*$/.test(value)) throw new InvalidArgumentError('expected a whole number of days');
  return Number(value);
};

/** `grantops report --html FILE`: one self-contained page for auditors and administrators. */
export function registerReport(program: Command, io: CliIo): void {
  program
    .command('report')
    .description('write an access report as one self-contained HTML file: who has access to what, what ends soon, approvals and revocations, risk, unmanaged access')
    .requiredOption('--html <file>', 'write the report to this file')
    .option('--dir <dir>', 'the access directory', 'access')
    .option('--provider <provider>', 'file | aws', choice<IamProviderKind>(['file', 'aws']), 'file')
    .option('--state <file>', 'file provider: FILE is the first aws system\'s state, SYSTEM=FILE another\'s (without one, examples/state/SYSTEM.json); repeatable (default examples/aws-state.json)', collect, [])
    .option('--system <id>', 'only this system of grantops.yaml; repeatable', collect, [])
    .option('--now <iso>', 'judge the grants at this time', parseNowOption)
    .option('--days <n>', '"ending soon" means within this many days', wholeDays, 14)
    .option('--history-days <n>', 'list approvals and revocations of this many past days', wholeDays, 30)
    .action(async (opts: ReportCliOptions) => {
      const { createIamProvider } = await import('../adapters/create-iam-provider.js');
      const { createUsageReader } = await import('../adapters/create-usage-reader.js');
      const { writeFileAtomic } = await import('../adapters/file/atomic-write.js');
      const { renderDiagnosticsText } = await import('../render/diagnostics.js');
      const { renderReportHtml } = await import('../render/report-html.js');
      const { buildReport } = await import('../usecases/report.js');
      const result = await buildReport({
        root: io.cwd,
        dir: opts.dir,
        provider: createIamProvider({ provider: opts.provider, state: opts.state, cwd: io.cwd, dir: opts.dir, systems: opts.system, env: process.env, access: 'read' }),
        usage: createUsageReader(opts.provider, process.env),
        now: opts.now ?? io.now(),
        systems: opts.system,
        horizonDays: opts.days,
        history: await historyOf(io.cwd, opts.dir, opts.historyDays),
      });
      if (!result.report) {
        io.err(renderDiagnosticsText(result.diagnostics));
        io.exitCode = EXIT.invalid;
        return;
      }
      const report = result.report;
      const out = resolve(io.cwd, opts.html);
      await writeFileAtomic(out, renderReportHtml(report));
      const ending = report.expiring.filter((e) => e.what === 'access').length;
      io.out(
        `wrote ${opts.html}: ${report.people.length} people x ${new Set(report.resources.map((r) => r.id)).size} resources, ${ending} ending within ${report.horizonDays} days, ${report.unexplained.length} attachments no live grant explains` +
          (report.activity.available ? `, ${report.activity.events.length} approvals and revocations in ${report.activity.sinceDays} days` : ''),
      );
      // A system that could not be read is named on the page and here, and fails the run.
      if (!result.ok) io.err(renderDiagnosticsText(result.diagnostics));
      io.exitCode = result.ok ? EXIT.ok : EXIT.invalid;
    });
}

/** The access directory's history when it sits in a git clone; the report says why not otherwise. */
async function historyOf(cwd: string, dir: string, sinceDays: number): Promise<ReportOptions['history']> {
  const { LocalGitRefReader } = await import('../adapters/git/git-ref-reader.js');
  const { GitAuditHistory } = await import('../adapters/git/history.js');
  const { GitDecisionNotes } = await import('../adapters/git/notes.js');
  const { normalizeDir } = await import('../adapters/git/read-tree-at-ref.js');
  const { findRepositoryRoot } = await import('../adapters/git/repository-root.js');
  const root = await findRepositoryRoot(resolve(cwd, dir)).catch(() => undefined);
  if (root === undefined) return { unavailable: 'the access directory is not in a git clone, so there is no history to read' };
  const inRepo = normalizeDir(relative(root, resolve(cwd, dir)).split(sep).join(posix.sep));
  return {
    ports: { history: new GitAuditHistory(root), notes: new GitDecisionNotes(root), refs: new LocalGitRefReader(root) },
    dir: inRepo,
    sinceDays,
  };
}
