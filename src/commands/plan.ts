import type { Command } from 'commander';
import type { GrantHistory, IamProvider, IamProviderKind } from '../ports.js';
import type { PlanAccessOptions } from '../usecases/plan.js';
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
  notify: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function addProvisioningOptions(command: Command): Command {
  return command
    .option('--dir <dir>', 'the access directory', 'access')
    .option('--provider <provider>', 'file | aws', choice<IamProviderKind>(['file', 'aws']), 'file')
    .option('--state <file>', 'file provider: FILE is the first aws system\'s state, SYSTEM=FILE another\'s (without one, examples/state/SYSTEM.json); repeatable (default examples/aws-state.json)', collect, [])
    .option('--system <id>', 'only this system of grantops.yaml; repeatable', collect, [])
    .option('--now <iso>', 'decide which grants are live at this time', parseNowOption)
    .option('--format <format>', 'text | json', choice<PlanFormat>(['text', 'json']), 'text')
    .option('--notify', 'tell people through the channels of grantops.yaml (secrets from the environment; deliveries recorded under refs/notes/grantops-notifications)', false);
}

/** The notifier `--notify` asks for, in the repository at `root` (its `origin`, when it has one, keeps the record). */
export async function notifierFor(opts: Pick<ProvisioningOptions, 'notify'>, root: string): Promise<Pick<PlanAccessOptions, 'notifier'>> {
  if (!opts.notify) return {};
  const { createRunNotifier } = await import('../adapters/notify/create-notifier.js');
  return { notifier: createRunNotifier({ root, env: process.env }) };
}

export async function providerFor(opts: ProvisioningOptions, io: CliIo): Promise<IamProvider> {
  const { createIamProvider } = await import('../adapters/create-iam-provider.js');
  return createIamProvider({ provider: opts.provider, state: opts.state, cwd: io.cwd, dir: opts.dir, systems: opts.system, env: process.env });
}

/** The repository the command runs in: its history says who ever held a grant (level-triggered apply). */
export async function historyFor(io: CliIo): Promise<GrantHistory> {
  const { GitGrantHistory } = await import('../adapters/git/grant-history.js');
  return new GitGrantHistory(io.cwd);
}

export function registerPlan(program: Command, io: CliIo): void {
  addProvisioningOptions(program.command('plan').description('show the IAM operations that would bring the accounts in line with the grants; changes nothing')).action(
    async (opts: ProvisioningOptions) => {
      const { planAndNotify } = await import('../usecases/plan.js');
      const { renderPlanJson } = await import('../render/plan-json.js');
      const { renderPlanText } = await import('../render/plan-text.js');
      const { renderNotificationLines } = await import('../render/notification-report.js');
      const report = await planAndNotify({ root: io.cwd, dir: opts.dir, provider: await providerFor(opts, io), history: await historyFor(io), now: opts.now ?? io.now(), systems: opts.system, ...(await notifierFor(opts, io.cwd)), ...(await headCommit(io.cwd, opts)) });
      io.out(opts.format === 'json' ? renderPlanJson(report.plan, report.diagnostics, report.withheld) : renderPlanText(report.plan, report.diagnostics, report.withheld));
      for (const line of renderNotificationLines(report.notifications)) io.err(line);
      io.exitCode = report.ok ? EXIT.ok : EXIT.invalid;
    },
  );
}

/** The commit the events of a notifying run name (only read when notifying; none outside a repository). */
export async function headCommit(root: string, opts: Pick<ProvisioningOptions, 'notify'>): Promise<{ commit?: string }> {
  if (!opts.notify) return {};
  const { GitBranchHistory } = await import('../adapters/git/branch-history.js');
  try {
    return { commit: await new GitBranchHistory(root).readHeadCommit() };
  } catch {
    return {};
  }
}
