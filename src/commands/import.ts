import { InvalidArgumentError, type Command } from 'commander';
import { DURATION_PATTERN } from '../core/duration.js';
import type { IamProviderKind } from '../ports.js';
import { EXIT, choice, parseNowOption, type CliIo } from './io.js';

interface ImportCliOptions {
  out: string;
  provider: IamProviderKind;
  state: string[];
  system?: string;
  expires?: string;
  now?: Date;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const duration = (value: string) => {
  if (!new RegExp(DURATION_PATTERN).test(value)) throw new InvalidArgumentError('expected a duration such as 7d or 12h');
  return value;
};

export function registerImport(program: Command, io: CliIo): void {
  program
    .command('import')
    .description('adopt an existing account (a person per IAM user, a resource per managed policy or group in use, a grant per attachment) or Identity Center instance (a resource per permission set, a grant per assigned person of people.yaml)')
    .requiredOption('--out <dir>', 'the access directory to create, or to extend')
    .option('--provider <provider>', 'file | aws', choice<IamProviderKind>(['file', 'aws']), 'file')
    .option('--state <file>', 'file provider: the account state (get-account-authorization-details JSON, or an Identity Center state), or SYSTEM=FILE', collect, [])
    .option('--system <id>', 'the system to adopt: its id in grantops.yaml (an Identity Center system must be there already; default: the only one there, else "aws")')
    .option('--expires <duration>', 'how long imported grants last, capped by each resource\'s maxAccess (default: that maxAccess)', duration)
    .option('--now <iso>', 'the time imported grants count from', parseNowOption)
    .action(async (opts: ImportCliOptions) => {
      const { createIamProvider } = await import('../adapters/create-iam-provider.js');
      const { renderDiagnosticsText } = await import('../render/diagnostics.js');
      const { importAccount } = await import('../usecases/import-account.js');
      const provider = createIamProvider({ provider: opts.provider, state: opts.state, cwd: io.cwd, dir: opts.out, systems: opts.system ? [opts.system] : [], env: process.env, access: 'read' });
      const report = await importAccount({ root: io.cwd, out: opts.out, provider, systemId: opts.system, now: opts.now ?? io.now(), expires: opts.expires });
      if (!report.plan || (report.written.length === 0 && report.diagnostics.some((d) => d.severity === 'error'))) {
        io.err(renderDiagnosticsText(report.diagnostics));
        io.err(report.plan ? 'the imported repository would not validate; nothing was written' : (report.refused ?? `${opts.out} does not validate; fix it before importing into it`));
        io.exitCode = EXIT.invalid;
        return;
      }
      const { plan } = report;
      const created = <T extends { created: boolean }>(list: T[]) => list.filter((x) => x.created).length;
      io.out(`imported into ${opts.out}: ${created(plan.people)} people, ${created(plan.resources)} resources, ${plan.grants.length} grants (${report.written.length} files written)`);
      for (const g of plan.grants) io.out(`  + ${g.file} (until ${g.expires})`);
      if (plan.skipped.length > 0) io.out(`left as they are (${plan.skipped.length}):`);
      for (const s of plan.skipped) io.out(`  - ${s.subject}: ${s.reason}`);
      if (plan.review.length > 0) io.out(`to fill in or review before merging (${plan.review.length}):`);
      for (const r of plan.review) io.out(`  ? ${r}`);
      io.exitCode = EXIT.ok;
    });
}
