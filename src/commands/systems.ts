import type { Command } from 'commander';
import { EXIT, choice, type CliIo } from './io.js';

interface SystemsOptions {
  dir: string;
  format: 'text' | 'json';
}

export function registerSystems(program: Command, io: CliIo): void {
  program
    .command('systems')
    .description('list the systems of grantops.yaml; --format json prints them as a GitHub Actions matrix (one job per system)')
    .option('--dir <dir>', 'the access directory', 'access')
    .option('--format <format>', 'text | json', choice<'text' | 'json'>(['text', 'json']), 'text')
    .action(async (opts: SystemsOptions) => {
      const { readAccessDir } = await import('../adapters/file/read-access-dir.js');
      const { hasErrors } = await import('../core/diagnostic.js');
      const { loadAccessRepo } = await import('../core/load-access-repo.js');
      const { systemMatrix } = await import('../core/systems/system-matrix.js');
      const { renderDiagnostics } = await import('../render/diagnostics.js');
      const { repo, diagnostics } = loadAccessRepo(await readAccessDir(io.cwd, opts.dir), io.now());
      if (hasErrors(diagnostics) || !repo.org) {
        io.err(renderDiagnostics(diagnostics, 'text'));
        io.exitCode = EXIT.invalid;
        return;
      }
      const matrix = systemMatrix(repo.org.value);
      io.out(opts.format === 'json' ? JSON.stringify(matrix) : matrix.include.map((s) => [s.system, s.type, s.accountId ?? s.instanceArn, s.roleArn ?? '(the run\'s credentials)'].join('\t')).join('\n'));
      io.exitCode = EXIT.ok;
    });
}
