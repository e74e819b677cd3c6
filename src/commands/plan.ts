import type { Command } from 'commander';
import type { GrantHistory, IamProvider, IamProviderKind } from '../ports.js';
import { EXIT, choice, parseNowOption, type CliIo } from './io.js';

export type PlanFormat = 'text' | 'json';

/** The options plan and apply share. */
export interface ProvisioningOptions {
  dir: string;
  provider: IamProviderKind;
  state: string[];
  system: string[];
  now?: Date;
  format: PlanFormat;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function addProvisioningOptions(command: Command): Command {
  return command
    .option('--dir <dir>', 'the access directory', 'access')
    .option('--provider <provider>', 'file | aws', choice<IamProviderKind>(['file', 'aws']), 'file')
    .option('--state <file>', 'file provider: the account state (get-account-authorization-details JSON), or SYSTEM=FILE; repeatable (default examples/aws-state.json)', collect, [])
    .option('--system <id>', 'only this system of grantops.yaml; repeatable', collect, [])
    .option('--now <iso>', 'decide which grants are live at this time', parseNowOption)
    .option('--format <format>', 'text | json', choice<PlanFormat>(['text', 'json']), 'text');
}

export async function providerFor(opts: ProvisioningOptions, io: CliIo): Promise<IamProvider> {
  const { createIamProvider } = await import('../adapters/create-iam-provider.js');
  return createIamProvider({ provider: opts.provider, state: opts.state, cwd: io.cwd, env: process.env });
}

/** The repository the command runs in: its history says who ever held a grant (level-triggered apply). */
export async function historyFor(io: CliIo): Promise<GrantHistory> {
  const { GitGrantHistory } = await import('../adapters/git/grant-history.js');
  return new GitGrantHistory(io.cwd);
}

export function registerPlan(program: Command, io: CliIo): void {
  addProvisioningOptions(program.command('plan').description('show the IAM operations that would bring the accounts in line with the grants; changes nothing')).action(
    async (opts: ProvisioningOptions) => {
      const { planAccess } = await import('../usecases/plan.js');
      const { renderPlanJson } = await import('../render/plan-json.js');
      const { renderPlanText } = await import('../render/plan-text.js');
      const report = await planAccess({ root: io.cwd, dir: opts.dir, provider: await providerFor(opts, io), history: await historyFor(io), now: opts.now ?? io.now(), systems: opts.system });
      io.out(opts.format === 'json' ? renderPlanJson(report.plan, report.diagnostics, report.withheld) : renderPlanText(report.plan, report.diagnostics, report.withheld));
      io.exitCode = report.ok ? EXIT.ok : EXIT.invalid;
    },
  );
}
