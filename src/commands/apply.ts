import type { Command } from 'commander';
import { renderApplyJson } from '../render/plan-json.js';
import { renderApplyText } from '../render/plan-text.js';
import { applyAccess } from '../usecases/apply.js';
import { EXIT, type CliIo } from './io.js';
import { addProvisioningOptions, headCommit, notifierFor, providerFor, type ProvisioningOptions } from './plan.js';
import { renderNotificationLines } from '../render/notification-report.js';

export function registerApply(program: Command, io: CliIo): void {
  addProvisioningOptions(program.command('apply').description('carry out the plan: change IAM so the accounts match the live grants; exit non-zero if any operation fails')).action(
    async (opts: ProvisioningOptions) => {
      const report = await applyAccess({ root: io.cwd, dir: opts.dir, provider: providerFor(opts, io), now: opts.now ?? io.now(), systems: opts.system, ...notifierFor(opts, io.cwd), ...(await headCommit(io.cwd, opts)) });
      const render = opts.format === 'json' ? renderApplyJson : renderApplyText;
      io.out(render(report.results, report.plan, report.diagnostics, report.withheld));
      for (const line of renderNotificationLines(report.notifications)) io.err(line);
      const planFailed = report.diagnostics.some((d) => d.severity === 'error');
      io.exitCode = planFailed ? EXIT.invalid : report.ok ? EXIT.ok : EXIT.failed;
    },
  );
}
