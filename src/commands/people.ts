import { resolve } from 'node:path';
import type { Command } from 'commander';
import { EXIT, parseNowOption, type CliIo } from './io.js';

export function registerPeople(program: Command, io: CliIo): void {
  const people = program.command('people').description('manage people.yaml');
  people
    .command('import-csv <file>')
    .description('merge people from a CSV (login,name,email,manager,roles,aws_user; roles separated by ;) into people.yaml')
    .option('--dir <dir>', 'the access directory', 'access')
    .option('--now <iso>', 'validate time limits at this time', parseNowOption)
    .action(async (file: string, opts: { dir: string; now?: Date }) => {
      const { hasErrors } = await import('../core/diagnostic.js');
      const { renderDiagnosticsText } = await import('../render/diagnostics.js');
      const { importPeople } = await import('../usecases/import-people.js');
      const report = await importPeople(io.cwd, opts.dir, resolve(io.cwd, file), opts.now ?? io.now());
      if (hasErrors(report.diagnostics)) {
        io.err(renderDiagnosticsText(report.diagnostics));
        io.err('people.yaml was not changed');
        io.exitCode = EXIT.invalid;
        return;
      }
      const counts = `${report.added.length} added, ${report.updated.length} updated, ${report.unchanged.length} unchanged`;
      io.out(report.written ? `people.yaml: ${counts}` : `people.yaml is already up to date (${counts})`);
      for (const login of report.added) io.out(`  + ${login}`);
      for (const login of report.updated) io.out(`  ~ ${login}`);
    });
}
