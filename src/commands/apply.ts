import type { Command } from 'commander';
import { EXIT, type CliIo } from './io.js';
import { addProvisioningOptions, providerFor, type ProvisioningOptions } from './plan.js';

export function registerApply(program: Command, io: CliIo): void {
  addProvisioningOptions(program.command('apply').description('carry out the plan: change IAM so the accounts match the live grants; exit non-zero if any operation fails')).action(
    async (opts: ProvisioningOptions) => {
      const { applyAccess } = await import('../usecases/apply.js');
      const { renderApplyJson } = await import('../render/plan-json.js');
      const { renderApplyText } = await import('../render/plan-text.js');
      const report = await applyAccess({ root: io.cwd, dir: opts.dir, provider: await providerFor(opts, io), now: opts.now ?? io.now(), systems: opts.system });
      const render = opts.format === 'json' ? renderApplyJson : renderApplyText;
      io.out(render(report.results, report.plan, report.diagnostics, report.withheld));
      const planFailed = report.diagnostics.some((d) => d.severity === 'error');
      io.exitCode = planFailed ? EXIT.invalid : report.ok ? EXIT.ok : EXIT.failed;
    },
  );
}
