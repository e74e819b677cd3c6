import type { Command } from 'commander';
import { hasErrors } from '../core/diagnostic.js';
import { renderDiagnostics, type DiagnosticFormat } from '../render/diagnostics.js';
import { validateDir } from '../usecases/validate.js';
import { EXIT, choice, parseNowOption, type CliIo } from './io.js';

export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description('check the access directory against the schemas and the rules; exit 2 on any error')
    .option('--dir <dir>', 'the access directory', 'access')
    .option('--now <iso>', 'evaluate time limits at this time', parseNowOption)
    .option('--format <format>', 'text | json | github', choice<DiagnosticFormat>(['text', 'json', 'github']), 'text')
    .action(async (opts: { dir: string; now?: Date; format: DiagnosticFormat }) => {
      const { diagnostics } = await validateDir(io.cwd, opts.dir, opts.now ?? io.now());
      io.out(renderDiagnostics(diagnostics, opts.format));
      io.exitCode = hasErrors(diagnostics) ? EXIT.invalid : EXIT.ok;
    });
}
