import type { Command } from 'commander';
import type { ApplyAccessReport } from '../usecases/apply.js';
import { EXIT, type CliIo } from './io.js';
import { addProvisioningOptions, headCommit, historyFor, notifierFor, providerFor, type ProvisioningOptions } from './plan.js';

/**
 * 0 when everything was applied; 3 when an operation failed; 4 when a problem withheld something while
 * the rest was applied; 2 when nothing could be planned at all (the rules cannot be read, an unknown system).
 */
export function applyExitCode(report: ApplyAccessReport): number {
  const errors = report.diagnostics.some((d) => d.severity === 'error');
  if (errors && report.plan.systems.length === 0) return EXIT.invalid;
  if (report.results.some((r) => r.status === 'failed')) return EXIT.failed;
  return errors || report.withheld.length > 0 ? EXIT.withheld : EXIT.ok;
}

export function registerApply(program: Command, io: CliIo): void {
  addProvisioningOptions(program.command('apply').description('carry out the plan: change IAM so the accounts match the live grants; exit 3 if an operation failed, 4 if a problem withheld a grant (everything else is applied)')).action(
    async (opts: ProvisioningOptions) => {
      const { applyAccess } = await import('../usecases/apply.js');
      const { renderApplyJson } = await import('../render/plan-json.js');
      const { renderApplyText } = await import('../render/plan-text.js');
      const { renderNotificationLines } = await import('../render/notification-report.js');
      const report = await applyAccess({ root: io.cwd, dir: opts.dir, provider: await providerFor(opts, io, 'write'), history: await historyFor(io), now: opts.now ?? io.now(), systems: opts.system, ...(await notifierFor(opts, io.cwd)), ...(await headCommit(io.cwd, opts)) });
      const render = opts.format === 'json' ? renderApplyJson : renderApplyText;
      io.out(render(report));
      for (const line of renderNotificationLines(report.notifications)) io.err(line);
      io.exitCode = applyExitCode(report);
    },
  );
}
