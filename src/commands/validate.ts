import type { Command } from 'commander';
import type { IamProviderKind } from '../ports.js';
import type { DiagnosticFormat } from '../render/diagnostics.js';
import type { RiskRequest } from '../usecases/validate.js';
import { EXIT, choice, parseNowOption, type CliIo } from './io.js';

interface ValidateOptions {
  dir: string;
  now?: Date;
  format: DiagnosticFormat;
  risk?: boolean;
  provider?: IamProviderKind;
  state: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Risk checks run when asked, or by default once grantops.yaml has a `risk:` block. */
function riskRequest(opts: ValidateOptions, io: CliIo): RiskRequest | undefined {
  if (opts.risk === false) return undefined;
  return {
    when: opts.risk ? 'always' : 'when-configured',
    load: async () => {
      const readsAccount = opts.provider !== undefined || opts.state.length > 0;
      const { createIamProvider } = await import('../adapters/create-iam-provider.js');
      const { defaultRiskScorer } = await import('../usecases/risk.js');
      const provider = readsAccount ? createIamProvider({ provider: opts.provider ?? 'file', state: opts.state, cwd: io.cwd, dir: opts.dir, env: process.env }) : undefined;
      return { scorer: await defaultRiskScorer(), provider };
    },
  };
}

export function registerValidate(program: Command, io: CliIo): void {
  program
    .command('validate')
    .description('check the access directory against the schemas and the rules; exit 2 on any error')
    .option('--dir <dir>', 'the access directory', 'access')
    .option('--now <iso>', 'evaluate time limits at this time', parseNowOption)
    .option('--format <format>', 'text | json | github', choice<DiagnosticFormat>(['text', 'json', 'github']), 'text')
    .option('--risk', 'also warn where a resource\'s sensitivity is below its risk (default when grantops.yaml has a risk: block)')
    .option('--no-risk', 'skip the risk checks')
    .option('--provider <provider>', 'with --risk: read the accounts (file | aws) to score managed-policy and group resources too', choice<IamProviderKind>(['file', 'aws']))
    .option('--state <file>', 'with --risk, file provider: the account state, or SYSTEM=FILE; repeatable', collect, [])
    .action(async (opts: ValidateOptions) => {
      const { validateDir } = await import('../usecases/validate.js');
      const { renderDiagnostics } = await import('../render/diagnostics.js');
      const { hasErrors } = await import('../core/diagnostic.js');
      const { diagnostics } = await validateDir(io.cwd, opts.dir, opts.now ?? io.now(), riskRequest(opts, io));
      const text = renderDiagnostics(diagnostics, opts.format);
      // A clean directory in the github format is no output at all: a blank line would be a stray log line.
      if (text !== '') io.out(text);
      io.exitCode = hasErrors(diagnostics) ? EXIT.invalid : EXIT.ok;
    });
}
