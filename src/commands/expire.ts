import { InvalidArgumentError, type Command } from 'commander';
import { DURATION_PATTERN } from '../core/duration.js';
import { EXIT, type CliIo } from './io.js';
import { addProvisioningOptions, notifierFor, providerFor, type ProvisioningOptions } from './plan.js';

interface ExpireCliOptions extends ProvisioningOptions {
  openPr: boolean;
  dryRun: boolean;
  remote: string;
  base?: string;
  repo?: string;
  unusedAfter?: string;
}

const duration = (value: string) => {
  if (!new RegExp(DURATION_PATTERN).test(value)) throw new InvalidArgumentError('expected a duration such as 90d, 12h or 2w');
  return value;
};

export function registerExpire(program: Command, io: CliIo): void {
  addProvisioningOptions(
    program
      .command('expire')
      .description('remove the access of lapsed grants, record the revocation on the grantops/revoke branch, and with --open-pr push it and open (or update) the one revocation pull request')
      .option('--open-pr', 'push the branch, open or update the revocation pull request, post expiry notices and manual-provisioning issues (needs GITHUB_TOKEN)', false)
      .option('--dry-run', 'show what would happen; change nothing in IAM, git or GitHub', false)
      .option('--remote <name>', 'the git remote to push to', 'origin')
      .option('--base <branch>', 'the branch the pull request targets (default: the branch checked out)')
      .option('--repo <owner/name>', 'the GitHub repository (default: GITHUB_REPOSITORY, else the remote\'s URL)')
      .option('--unused-after <duration>', 'an expiry notice marks a grant not used within this window (default: risk.unusedAfter, else 90d)', duration),
  ).action(async (opts: ExpireCliOptions) => {
    const { createUsageReader } = await import('../adapters/create-usage-reader.js');
    const { renderExpireJson, renderExpireText } = await import('../render/expire-text.js');
    const { expireAccess } = await import('../usecases/expire.js');
    const { breakGlassFromCheckout } = await import('../adapters/break-glass-evidence.js');
    const { connectGitHub, openCheckout } = await import('./lifecycle-options.js');
    const { renderNotificationLines } = await import('../render/notification-report.js');
    const checkout = await openCheckout(io.cwd, opts.dir);
    const github = opts.openPr ? await connectGitHub(checkout.root, { repo: opts.repo, remote: opts.remote }, process.env) : undefined;
    const now = opts.now ?? io.now();
    const report = await expireAccess({
      root: checkout.root,
      dir: checkout.dir,
      snapshot: checkout.snapshot,
      provider: await providerFor(opts, io, 'write'),
      now,
      systems: opts.system,
      // Break-glass grants are judged from the clone's history and decision notes (ratifications the Action recorded).
      ...(checkout.git ? { breakGlass: breakGlassFromCheckout(checkout.root, { now }) } : {}),
      git: checkout.git,
      remote: opts.remote,
      baseBranch: opts.base,
      github,
      usage: createUsageReader(opts.provider, process.env),
      ...(opts.unusedAfter ? { unusedAfter: opts.unusedAfter } : {}),
      dryRun: opts.dryRun,
      ...(await notifierFor(opts, checkout.root)),
    });
    io.out(opts.format === 'json' ? renderExpireJson(report) : renderExpireText(report));
    for (const line of renderNotificationLines(report.notifications)) io.err(line);
    io.exitCode = report.ok ? EXIT.ok : report.diagnostics.some((d) => d.severity === 'error') ? EXIT.invalid : EXIT.failed;
  });
}
