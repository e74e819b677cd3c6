import { posix, relative, resolve, sep } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { CheckAuthor } from '../usecases/check-refs.js';
import type { IamProviderKind } from '../ports.js';
import { EXIT, choice, parseNowOption, type CliIo } from './io.js';

type CheckFormat = 'text' | 'json';

interface CheckOptions {
  base: string;
  head: string;
  dir: string;
  author?: string;
  approvals: string[];
  now?: Date;
  format: CheckFormat;
  provider?: IamProviderKind;
  state: string[];
  teams?: string;
}

function parseLogins(value: string): string[] {
  const logins = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const login of logins) {
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\[bot\])?$/.test(login)) throw new InvalidArgumentError(`"${login}" is not a GitHub login`);
  }
  return logins;
}

/**
 * `grantops check`: the approval rules between two refs of the local repository, the way the app judges
 * a pull request. Exit 0 approved, 1 approvals missing, 2 invalid, 64 a usage problem (an ambiguous ref, no author).
 */
export function registerCheck(program: Command, io: CliIo): void {
  program
    .command('check')
    .description('evaluate the approval rules for the changes from --base to --head; exit 0 approved, 1 approvals missing, 2 invalid, 64 usage')
    .requiredOption('--base <ref>', 'the branch the change goes into; its rules are the ones that apply')
    .requiredOption('--head <ref>', 'the change to judge')
    .option('--dir <dir>', 'the access directory', 'access')
    .option('--author <login>', "who asks (default: the pull request event's author inside GitHub Actions, else git config github.user, which counts only for asking for yourself; never the commit email)")
    .option('--approvals <logins>', 'comma-separated logins whose approval of the head counts', parseLogins, [])
    .option('--now <iso>', 'evaluate time limits and approval expiries at this time', parseNowOption)
    .option('--format <format>', 'text | json', choice<CheckFormat>(['text', 'json']), 'text')
    .option('--provider <provider>', 'under a risk: block, read the accounts (file | aws) to score managed-policy and group resources', choice<IamProviderKind>(['file', 'aws']))
    .option('--state <file>', 'file provider: the account state, or SYSTEM=FILE; repeatable', (v: string, p: string[]) => [...p, v], [])
    .option('--teams <file>', 'team memberships ("@org/team": [logins], YAML or JSON) for rules that name GitHub teams; without it such a rule is an error')
    .action(async (opts: CheckOptions) => {
      const { LocalGitRefReader, findRepoRoot } = await import('../adapters/git/git-ref-reader.js');
      const { normalizeDir } = await import('../adapters/git/read-tree-at-ref.js');
      const { renderApprovalJson } = await import('../render/approval-json.js');
      const { renderApprovalText } = await import('../render/approval-text.js');
      const { checkRefs } = await import('../usecases/check-refs.js');
      const { createIamProvider } = await import('../adapters/create-iam-provider.js');
      const { renderGrantRiskLines } = await import('../render/grant-risk-markdown.js');
      const { grantRiskSource } = await import('../usecases/grant-risk.js');
      const { readTeamsFile } = await import('../adapters/file/read-teams-file.js');
      const teams = opts.teams === undefined ? undefined : await readTeamsFile(resolve(io.cwd, opts.teams));
      const root = await findRepoRoot(io.cwd);
      const dir = normalizeDir(relative(root, resolve(io.cwd, opts.dir)).split(sep).join(posix.sep));
      const author = await findCheckAuthor(opts.author, root, io.env ?? process.env);
      const report = await checkRefs(new LocalGitRefReader(root), {
        base: opts.base,
        head: opts.head,
        dir,
        ...(author && { author }),
        approvals: opts.approvals,
        now: opts.now ?? io.now(),
        ...(teams && { teams }),
        risk: grantRiskSource(opts.provider || opts.state.length > 0 ? createIamProvider({ provider: opts.provider ?? 'file', state: opts.state, cwd: io.cwd, dir: opts.dir, env: process.env }) : undefined),
      });
      const { result } = report;
      if (opts.format === 'json') {
        io.out(renderApprovalJson(result, { base: report.baseSha, head: report.headSha, mergeBase: report.mergeBaseSha, author: report.author }));
      } else {
        const authorFrom = AUTHOR_FROM[report.authorFrom];
        io.out(
          renderApprovalText(result, [
            `base ${opts.base} (${report.baseSha.slice(0, 7)}), head ${opts.head} (${report.headSha.slice(0, 7)}), author ${report.author} (from ${authorFrom})`,
          ]),
        );
        if (report.risk) io.out(['', ...renderGrantRiskLines(result, report.risk.assess, report.risk.model)].join('\n'));
      }
      io.exitCode = result.status === 'approved' ? EXIT.ok : result.status === 'pending' ? EXIT.pending : EXIT.invalid;
    });
}

const AUTHOR_FROM: Record<CheckAuthor['from'], string> = {
  option: '--author',
  'pull-request-event': "the pull request event's author",
  'git-config': 'git config github.user: configured, not proven, so it counts only for asking for yourself',
};

/**
 * Who asks, strongest proof first: --author (whoever runs the check vouches), the pull request event of a
 * GitHub Actions run, then git config github.user (as `request` knows you), only a claim. Never the commit's
 * author email: anyone can type any email into a commit.
 */
async function findCheckAuthor(option: string | undefined, root: string, env: NodeJS.ProcessEnv): Promise<CheckAuthor | undefined> {
  if (option !== undefined && option.trim() !== '') return { login: option.trim(), from: 'option' };
  const { readPullRequestEventAuthor } = await import('../adapters/github/read-pull-request-event.js');
  const { readGitIdentity } = await import('../adapters/git/read-git-identity.js');
  const fromEvent = await readPullRequestEventAuthor(env);
  if (fromEvent !== undefined) return { login: fromEvent, from: 'pull-request-event' };
  const { githubUser } = await readGitIdentity(root);
  return githubUser !== undefined ? { login: githubUser, from: 'git-config' } : undefined;
}
