import { InvalidArgumentError, type Command } from 'commander';
import { DURATION_PATTERN } from '../core/duration.js';
import type { IamProviderKind } from '../ports.js';
import { EXIT, choice, parseNowOption, type CliIo } from './io.js';

interface InventoryCliOptions {
  dir: string;
  provider: IamProviderKind;
  state: string[];
  system: string[];
  format: 'md' | 'json';
  now?: Date;
  unusedAfter?: string;
  serviceLastAccessed?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const duration = (value: string) => {
  if (!new RegExp(DURATION_PATTERN).test(value)) throw new InvalidArgumentError('expected a duration such as 90d, 12h or 2w');
  return value;
};

export function registerInventory(program: Command, io: CliIo): void {
  program
    .command('inventory')
    .description('every user, group, role and policy with attachments, risk, credentials and usage; unmanaged access; recommendations')
    .option('--dir <dir>', 'the access directory whose grants explain the attachments', 'access')
    .option('--provider <provider>', 'file | aws', choice<IamProviderKind>(['file', 'aws']), 'file')
    .option('--state <file>', 'file provider: FILE is the first aws system\'s state, SYSTEM=FILE another\'s (without one, examples/state/SYSTEM.json); repeatable (default examples/aws-state.json)', collect, [])
    .option('--system <id>', 'only this system of grantops.yaml; repeatable', collect, [])
    .option('--unused-after <duration>', 'access not used within this window is unused (default: risk.unusedAfter, else 90d)', duration)
    .option('--service-last-accessed', 'aws provider: also run a service-last-accessed job per user and role (one at a time; slow)')
    .option('--now <iso>', 'judge ages and windows at this time', parseNowOption)
    .option('--format <format>', 'md | json', choice(['md', 'json'] as const), 'md')
    .action(async (opts: InventoryCliOptions) => {
      const { createIamProvider } = await import('../adapters/create-iam-provider.js');
      const { createUsageReader } = await import('../adapters/create-usage-reader.js');
      const { renderDiagnosticsText } = await import('../render/diagnostics.js');
      const { renderInventoryMarkdown } = await import('../render/inventory-markdown.js');
      const { inventoryAccounts } = await import('../usecases/inventory.js');
      const provider = createIamProvider({ provider: opts.provider, state: opts.state, cwd: io.cwd, dir: opts.dir, systems: opts.system, env: process.env, access: 'read' });
      const result = await inventoryAccounts({
        root: io.cwd,
        dir: opts.dir,
        provider,
        usage: createUsageReader(opts.provider, process.env),
        now: opts.now ?? io.now(),
        systems: opts.system,
        unusedAfter: opts.unusedAfter,
        serviceLastAccessed: opts.serviceLastAccessed,
      });
      // The systems that were read are printed even when another could not be; the run then fails at the end.
      if (result.ok || result.reports.length > 0) io.out(opts.format === 'json' ? JSON.stringify({ systems: result.reports }, null, 2) : renderInventoryMarkdown(result.reports));
      if (!result.ok) io.err(renderDiagnosticsText(result.diagnostics));
      io.exitCode = result.ok ? EXIT.ok : EXIT.invalid;
    });
}
