import type { Command } from 'commander';
import { createIamProvider } from '../adapters/create-iam-provider.js';
import type { IamProvider, IamProviderKind } from '../ports.js';
import { renderPlanJson } from '../render/plan-json.js';
import { renderPlanText } from '../render/plan-text.js';
import { planAndNotify, type PlanAccessOptions } from '../usecases/plan.js';
import { createRunNotifier } from '../adapters/notify/create-notifier.js';
import { renderNotificationLines } from '../render/notification-report.js';
import { simpleGit } from 'simple-git';
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
    .option('--state <file>', 'file provider: the account state (get-account-authorization-details JSON), or SYSTEM=FILE; repeatable (default examples/aws-state.json)', collect, [])
    .option('--system <id>', 'only this system of grantops.yaml; repeatable', collect, [])
    .option('--now <iso>', 'decide which grants are live at this time', parseNowOption)
    .option('--format <format>', 'text | json', choice<PlanFormat>(['text', 'json']), 'text')
    .option('--notify', 'tell people through the channels of grantops.yaml (secrets from the environment; deliveries recorded under refs/notes/grantops-notifications)', false);
}

/** The notifier `--notify` asks for, in the repository at `root` (its `origin`, when it has one, keeps the record). */
export function notifierFor(opts: Pick<ProvisioningOptions, 'notify'>, root: string): Pick<PlanAccessOptions, 'notifier'> {
  return opts.notify ? { notifier: createRunNotifier({ root, env: process.env }) } : {};
}

export function providerFor(opts: ProvisioningOptions, io: CliIo): IamProvider {
  return createIamProvider({ provider: opts.provider, state: opts.state, cwd: io.cwd, env: process.env });
}

export function registerPlan(program: Command, io: CliIo): void {
  addProvisioningOptions(program.command('plan').description('show the IAM operations that would bring the accounts in line with the grants; changes nothing')).action(
    async (opts: ProvisioningOptions) => {
      const report = await planAndNotify({ root: io.cwd, dir: opts.dir, provider: providerFor(opts, io), now: opts.now ?? io.now(), systems: opts.system, ...notifierFor(opts, io.cwd), ...(await headCommit(io.cwd, opts)) });
      io.out(opts.format === 'json' ? renderPlanJson(report.plan, report.diagnostics) : renderPlanText(report.plan, report.diagnostics));
      for (const line of renderNotificationLines(report.notifications)) io.err(line);
      io.exitCode = report.ok ? EXIT.ok : EXIT.invalid;
    },
  );
}

/** The commit the events of a notifying run name (only read when notifying; none outside a repository). */
export async function headCommit(root: string, opts: Pick<ProvisioningOptions, 'notify'>): Promise<{ commit?: string }> {
  if (!opts.notify) return {};
  try {
    return { commit: (await simpleGit(root).revparse(['HEAD'])).trim() };
  } catch {
    return {};
  }
}
