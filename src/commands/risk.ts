import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { IamProviderKind } from '../ports.js';
import { EXIT, choice, parseNowOption, type CliIo } from './io.js';

interface RiskOptions {
  policy?: string;
  dir: string;
  provider: IamProviderKind;
  state: string[];
  system: string[];
  format: 'text' | 'json';
  now?: Date;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerRisk(program: Command, io: CliIo): void {
  program
    .command('risk')
    .description('risk score (0-100) of one policy document, or of every policy and principal of the accounts and every Identity Center permission set; exit 3 when a system cannot be read (the others are scored)')
    .option('--policy <file>', 'score this IAM policy document (JSON) only')
    .option('--dir <dir>', 'the access directory (its systems are read; without one, the provider\'s account)', 'access')
    .option('--provider <provider>', 'file | aws', choice<IamProviderKind>(['file', 'aws']), 'file')
    .option('--state <file>', 'file provider: FILE is the first aws system\'s state, SYSTEM=FILE another\'s (without one, examples/state/SYSTEM.json); repeatable (default examples/aws-state.json)', collect, [])
    .option('--system <id>', 'only this system of grantops.yaml; repeatable', collect, [])
    .option('--format <format>', 'text | json', choice(['text', 'json'] as const), 'text')
    .option('--now <iso>', 'judge policy conditions on the clock (aws:CurrentTime, aws:TokenIssueTime) at this time', parseNowOption)
    .action(async (opts: RiskOptions) => {
      const { createIamProvider } = await import('../adapters/create-iam-provider.js');
      const { renderDiagnosticsText } = await import('../render/diagnostics.js');
      const { renderAccountRiskText, renderPolicyRiskText } = await import('../render/risk-text.js');
      const { renderIdentityCenterRiskText } = await import('../render/permission-set-risk-text.js');
      const { defaultRiskScorer, scoreAccounts, scorePolicyFile } = await import('../usecases/risk.js');
      const { model } = await defaultRiskScorer();
      if (opts.policy !== undefined) {
        const report = await scorePolicyFile(resolve(io.cwd, opts.policy), opts.now ?? io.now());
        io.out(opts.format === 'json' ? JSON.stringify({ ...report, file: opts.policy }, null, 2) : renderPolicyRiskText({ ...report, file: opts.policy }, model));
        io.exitCode = EXIT.ok;
        return;
      }
      const provider = createIamProvider({ provider: opts.provider, state: opts.state, cwd: io.cwd, dir: opts.dir, systems: opts.system, env: process.env });
      const report = await scoreAccounts({ root: io.cwd, dir: opts.dir, provider, now: opts.now ?? io.now(), systems: opts.system });
      if (!report.ok) {
        io.err(renderDiagnosticsText(report.diagnostics));
        io.exitCode = EXIT.invalid;
        return;
      }
      if (opts.format === 'json') io.out(JSON.stringify({ accounts: report.accounts, identityCenter: report.identityCenter, unreadable: report.unreadable }, null, 2));
      else io.out([report.accounts.length > 0 || report.identityCenter.length === 0 ? renderAccountRiskText(report.accounts, model) : '', renderIdentityCenterRiskText(report.identityCenter, model)].filter(Boolean).join('\n'));
      // A system that could not be read is said, and the exit code says the read-out is not whole.
      if (report.unreadable.length > 0) io.err(renderDiagnosticsText(report.unreadable));
      io.exitCode = report.unreadable.length > 0 ? EXIT.failed : EXIT.ok;
    });
}
