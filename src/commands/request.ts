import { InvalidArgumentError, type Command } from 'commander';
import { DURATION_PATTERN } from '../core/duration.js';
import type { IamProviderKind } from '../ports.js';
import { EXIT, choice, parseNowOption, type CliIo } from './io.js';

interface RequestCliOptions {
  resource: string;
  until?: Date;
  forDuration?: string;
  reason?: string;
  for?: string;
  approvalTtl?: string;
  breakGlass: boolean;
  as?: string;
  openPr: boolean;
  dir: string;
  now?: Date;
  remote: string;
  base?: string;
  repo?: string;
  format: 'text' | 'json';
  provider?: IamProviderKind;
  state: string[];
  unusedAfter?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const duration = (value: string) => {
  if (!new RegExp(DURATION_PATTERN).test(value)) throw new InvalidArgumentError('expected a duration such as 90d, 12h or 2w');
  return value;
};

/** `--until 2026-12-20` (midnight UTC) or a full ISO 8601 time. */
function parseUntil(value: string): Date {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError(`"${value}" is not a date (YYYY-MM-DD) or an ISO 8601 time`);
  return date;
}

export function registerRequest(program: Command, io: CliIo): void {
  program
    .command('request')
    .description('write (or, for a renewal, edit) your grant file, validate it, commit it on grant/<login>/<resource>-<date>; with --open-pr push it and open the pull request')
    .requiredOption('--resource <id>', 'the resource to ask for')
    .option('--until <date>', 'when the access ends (YYYY-MM-DD or ISO 8601)', parseUntil)
    .option('--for-duration <duration>', 'how long from now, e.g. 7d, 12h')
    .option('--reason <text>', 'why you need it (required for a new grant; on a renewal a new reason needs a new approval)')
    .option('--for <login>', 'ask on behalf of someone (their manager or an org owner)')
    .option('--approval-ttl <duration>', 'how long the approval should let you renew without asking again (default: the sensitivity\'s approvalTtl)')
    .option('--break-glass', 'an emergency: passes at once if you hold a role the resource lets break glass, for at most its break-glass maxAccess; announced to the owners and ratified after the merge', false)
    .option('--as <login>', 'who you are in people.yaml (default: git config github.user, else your git e-mail or name)')
    .option('--open-pr', 'push the branch and open the pull request (needs GITHUB_TOKEN)', false)
    .option('--dir <dir>', 'the access directory', 'access')
    .option('--now <iso>', 'ask as of this time', parseNowOption)
    .option('--remote <name>', 'the git remote to push to', 'origin')
    .option('--base <branch>', 'the branch the pull request targets (default: the branch checked out)')
    .option('--repo <owner/name>', 'the GitHub repository (default: GITHUB_REPOSITORY, else the remote\'s URL)')
    .option('--format <format>', 'text | json', 'text')
    .option('--provider <provider>', 'read the account (file | aws) so a renewal\'s or extension\'s pull request marks the grant when unused; not read unless this or --state is given', choice<IamProviderKind>(['file', 'aws']))
    .option('--state <file>', 'file provider: the account state with usage facts, or SYSTEM=FILE; repeatable', collect, [])
    .option('--unused-after <duration>', 'the grant is unused when not used within this window (default: risk.unusedAfter, else 90d)', duration)
    .action(async (opts: RequestCliOptions) => {
      const { createIamProvider } = await import('../adapters/create-iam-provider.js');
      const { createUsageReader } = await import('../adapters/create-usage-reader.js');
      const { readGitIdentity } = await import('../adapters/git/read-git-identity.js');
      const { renderRequestText } = await import('../render/request-text.js');
      const { requestAccess } = await import('../usecases/request.js');
      const { connectGitHub, openCheckout } = await import('./lifecycle-options.js');
      const checkout = await openCheckout(io.cwd, opts.dir);
      const github = opts.openPr ? await connectGitHub(checkout.root, { repo: opts.repo, remote: opts.remote }, process.env) : undefined;
      const identity = { ...(await readGitIdentity(checkout.root)), ...(opts.as !== undefined ? { as: opts.as } : {}) };
      const kind = opts.provider ?? (opts.state.length > 0 ? 'file' : undefined);
      const usage = kind
        ? {
            provider: createIamProvider({ provider: kind, state: opts.state, cwd: io.cwd, dir: opts.dir, env: process.env }),
            usage: createUsageReader(kind, process.env),
            ...(opts.unusedAfter ? { unusedAfter: opts.unusedAfter } : {}),
          }
        : undefined;
      const report = await requestAccess({
        root: checkout.root,
        dir: checkout.dir,
        snapshot: checkout.snapshot,
        now: opts.now ?? io.now(),
        resource: opts.resource,
        until: opts.until,
        forDuration: opts.forDuration,
        reason: opts.reason,
        forLogin: opts.for,
        approvalTtl: opts.approvalTtl,
        breakGlass: opts.breakGlass,
        identity,
        git: checkout.git,
        remote: opts.remote,
        baseBranch: opts.base,
        github,
        usage,
      });
      if (opts.format === 'json') {
        io.out(JSON.stringify({ ok: report.ok, requester: report.requester, plan: report.plan && { path: report.plan.path, branch: report.plan.branch, shape: report.plan.shape, grant: report.plan.grant }, approval: report.approval && { status: report.approval.status, why: report.approval.why, grants: report.approval.grants }, outlook: report.pullRequestText?.outlook, commit: report.commit ?? null, pullRequest: report.pullRequest ?? null, diagnostics: report.diagnostics, notes: report.notes }, null, 2));
      } else {
        io.out(renderRequestText(report));
      }
      io.exitCode = report.ok ? EXIT.ok : EXIT.invalid;
    });
}
