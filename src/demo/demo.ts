import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gitDateEnv } from '../adapters/git/commit-on-branch.js';
import { LocalGitRefReader } from '../adapters/git/git-ref-reader.js';
import { GitDecisionNotes } from '../adapters/git/notes.js';
import type { Review } from '../core/approval/pull-request.js';
import { grantChangesFromExpiry, type OperationOutcome } from '../core/decision-record.js';
import { main } from '../cli.js';
import type { CliIo } from '../commands/io.js';
import type { AppliedOperationJson, OperationJson } from '../render/plan-json.js';
import type { DecisionNotes, MergedPullRequestFacts } from '../ports.js';
import { recordDecision } from '../usecases/record-decision.js';
import { recordPushDecisions } from '../usecases/record-push-decisions.js';

/**
 * The demo's stage: a repository and an account file, a clock, and the parts of GitHub the demo plays
 * (reviews, the merge button, the decision notes the Action records). Each step's facts are checked.
 */

export const PEOPLE = {
  art: { name: 'Art Vandelay', email: 'art@vandelay.example' },
  kramer: { name: 'Cosmo Kramer', email: 'kramer@vandelay.example', login: 'kramer' },
  jerry: { name: 'Jerry Seinfeld', email: 'jerry@vandelay.example', login: 'jerry' },
  github: { name: 'GitHub', email: 'noreply@github.com' },
  bot: { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' },
} as const;
export type Actor = keyof typeof PEOPLE;

export class DemoFailure extends Error {}

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** The demo's state: the repository, the account, and the clock every command is run at. */
export class Demo {
  checks = 0;
  private clock = '';
  /** Every time the clock was set to: the only dates the history may carry. */
  private readonly times = new Set<number>();
  readonly pulls = new Map<number, MergedPullRequestFacts>();

  /** `state`: the production account's file; `stateFlags`: the `--state` flags naming every system's. */
  constructor(
    readonly repo: string,
    readonly state: string,
    readonly stateFlags: readonly string[],
    private readonly print: (line: string) => void,
  ) {}

  /** The apply workflow's run: what `apply --format json` did, operation by operation. */
  async applyJson(): Promise<AppliedOperationJson[]> {
    const run = await this.grantops(['apply', ...this.stateFlags, '--format', 'json', '--now', this.now], { code: 0, show: 'none' });
    return (JSON.parse(run.out) as { operations: AppliedOperationJson[] }).operations;
  }

  /** The scheduled expire run, as `expire --format json` reports it. */
  async expireJson<T extends ExpireJson = ExpireJson>(): Promise<T> {
    return JSON.parse((await this.grantops(['expire', ...this.stateFlags, '--format', 'json', '--now', this.now], { code: 0, show: 'none' })).out) as T;
  }

  /** One operation as apply or expire carried it out. */
  sayOperation(op: PrintedOperation): void {
    this.say(`  ${op.status} ${op.system} ${op.action} ${op.principal} ${op.target}${op.account ? ` in ${op.account}` : ''}`);
  }

  get now(): string {
    return this.clock;
  }

  /** Moves the clock: `--now` for grantops, and the time the demo's own commits carry (see `git`). */
  at(iso: string): void {
    this.clock = iso;
    this.times.add(Date.parse(iso));
  }

  /** Whether every commit reachable from `refs` was authored and committed at a time the demo's clock showed. */
  datedByClock(refs: string[]): boolean {
    const dates = this.git(['log', '--format=%aI%n%cI', ...refs]).split('\n');
    return dates.every((d) => this.times.has(Date.parse(d)));
  }

  heading(n: string, title: string): void {
    this.print('');
    this.print(`── ${n}. ${title} ${'─'.repeat(Math.max(3, 74 - n.length - title.length))}`);
    this.print(`   (${this.clock.replace('T', ' ').replace(':00Z', ' UTC')})`);
  }

  say(text: string): void {
    this.print(`   ${text}`);
  }

  next(text: string): void {
    this.print(`   → next: ${text}`);
  }

  /** Runs one grantops command line in-process, prints it and its output, and checks the exit code. */
  async grantops(argv: string[], expect: { code: number; show?: 'all' | 'none' }): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (s) => out.push(s), err: (s) => err.push(s), exitCode: 0, cwd: this.repo, now: () => new Date(this.clock) };
    const code = await main(argv, io);
    const run = { code, out: out.join('\n').trimEnd(), err: err.join('\n').trimEnd() };
    this.print(`   $ grantops ${argv.map(quote).join(' ')}`);
    if (expect.show !== 'none') for (const line of [run.out, run.err].filter(Boolean).join('\n').split('\n')) this.print(`     ${line}`.trimEnd());
    this.check(code === expect.code, `grantops ${argv[0]} exited ${code}, expected ${expect.code}${run.err ? `: ${run.err}` : ''}`);
    return run;
  }

  /** One fact the rules promise; the demo stops at the first that does not hold. */
  check(ok: boolean, what: string): void {
    this.checks++;
    if (!ok) throw new DemoFailure(what);
  }

  expectLines(text: string, patterns: RegExp[]): void {
    for (const p of patterns) this.check(p.test(text), `expected the output to match ${p}`);
  }

  /**
   * Runs git in the repository, dated by the demo's clock: git stamps a commit with the wall clock, but the
   * history must follow `--now` or the audit would tell a different story. grantops' own commits (request,
   * expire) take their date from `--now` already; this is for the commits the demo makes playing GitHub.
   */
  git(args: string[], as?: Actor): string {
    const identity = as ? ['-c', `user.name=${PEOPLE[as].name}`, '-c', `user.email=${PEOPLE[as].email}`] : [];
    const env = { ...process.env, ...gitDateEnv(new Date(this.clock)) };
    return execFileSync('git', [...identity, ...args], { cwd: this.repo, encoding: 'utf8', env }).trim();
  }

  /** The decision notes as the Action writes them, except that each note is appended by `git` above, so its notes commit is dated by the demo's clock. */
  notes(): DecisionNotes {
    const notes = new GitDecisionNotes(this.repo, { identity: PEOPLE.bot });
    return {
      readNotes: () => notes.readNotes(),
      appendNote: async (commit, text) => {
        this.git(['notes', `--ref=${notes.ref}`, 'append', '-m', text, commit], 'bot');
      },
      fetchNotes: (remote) => notes.fetchNotes(remote),
      pushNotes: (remote) => notes.pushNotes(remote),
    };
  }

  /** Whose clone this is: commits made by grantops itself (request, expire) carry this identity. */
  actAs(who: Actor): void {
    this.git(['config', 'user.name', PEOPLE[who].name]);
    this.git(['config', 'user.email', PEOPLE[who].email]);
    // Who request and check take you for (the README's set-up); never the e-mail, which anyone can type.
    const person: { name: string; login?: string } = PEOPLE[who];
    const login = person.login;
    if (login) this.git(['config', 'github.user', login]);
    else if (this.git(['config', '--get', '--default', '', 'github.user']) !== '') this.git(['config', '--unset-all', 'github.user']);
  }

  /** What pressing "Merge" on GitHub does: a merge commit on main, with the pull request number in its subject. */
  merge(number: number, branch: string, author: string, mergedBy: string, reviews: Review[]): string {
    const head = this.git(['rev-parse', branch]);
    const base = this.git(['rev-parse', 'main']);
    this.git(['merge', '--no-ff', '-q', branch, '-m', `Merge pull request #${number} from vandelay/${branch}`], 'github');
    const merged = this.git(['rev-parse', 'HEAD']);
    this.pulls.set(number, { number, author, headSha: head, baseSha: base, mergeCommitSha: merged, mergedBy, reviews });
    this.say(`${mergedBy} merges pull request #${number} (${branch}) into main: ${merged.slice(0, 7)}`);
    return merged;
  }

  /** After applying a merge, the Action records the decision on the merge commit: who approved as what, and what IAM did. */
  async recordMerge(number: number, results: OperationOutcome[]): Promise<void> {
    const records = await recordPushDecisions(
      { refs: new LocalGitRefReader(this.repo), notes: this.notes(), pulls: { readMergedPullRequest: async (n) => this.pulls.get(n)! } },
      { dir: 'access', after: this.git(['rev-parse', 'HEAD']), pullRequests: [number], results, at: new Date(this.clock) },
    );
    for (const r of records) {
      const approvals = r.grants.flatMap((g) => g.approvals.map((a) => `${a.by} as ${a.role}`));
      this.say(`decision recorded on ${r.commit.slice(0, 7)} (refs/notes/grantops): ${r.grants.map((g) => `${g.change} ${g.status}`).join(', ')}${approvals.length ? ` by ${approvals.join(' and ')}` : ', nobody needed'}; ${r.operations.length} IAM operation(s)`);
    }
  }

  /**
   * What the Action's expire run records (`recordExpiry`): the access it removed, on the commit whose grants
   * lapsed. The command line's expire records nothing, so the demo writes the same record from its JSON.
   */
  async recordExpiry(operations: OperationOutcome[], files: string[]): Promise<void> {
    const commit = this.git(['rev-parse', 'HEAD']);
    const grants = grantChangesFromExpiry(files.map((file) => ({ file, user: file.split('/')[2]!, resource: file.split('/')[3]!.replace(/\.yaml$/, '') })));
    await recordDecision(this.notes(), { kind: 'expire', commit, recordedAt: new Date(this.clock), dir: 'access', rulesSha: commit, grants, operations });
    this.say(`decision recorded on ${commit.slice(0, 7)} (refs/notes/grantops): access expired, ${operations.length} IAM operation(s)`);
  }

  /** The policies the account holds for an IAM user right now. */
  policiesOf(iamUser: string): string[] {
    const account = JSON.parse(readFileSync(this.state, 'utf8')) as { UserDetailList: { UserName: string; AttachedManagedPolicies?: { PolicyArn: string }[] }[] };
    return (account.UserDetailList.find((u) => u.UserName === iamUser)?.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn);
  }
}

export const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`);

/** An operation as apply or expire prints it; expire also prints the ones it only planned. */
export type PrintedOperation = OperationJson & { status: string };

export function outcomes(operations: PrintedOperation[]): OperationOutcome[] {
  return operations.map((op) => ({
    operation: { action: op.action, system: op.system, principal: op.principal, target: op.target, resource: op.resource, grant: op.grant, ...(op.drift ? { drift: true } : {}) },
    status: op.status === 'done' ? 'done' : 'failed',
  }));
}

export interface ExpireJson {
  revocations: { file: string; action: 'mark-expired' | 'delete'; why: string; approvalExpires?: string }[];
  recorded: string[];
  operations: PrintedOperation[];
  branch: { name: string; commit?: { sha: string } } | null;
  expiring: { file: string }[];
}

export function sayExpiry(demo: Demo, report: ExpireJson): void {
  for (const op of report.operations) demo.sayOperation(op);
  const deleted = (r: ExpireJson['revocations'][number]) =>
    r.why.startsWith('break-glass') ? `the file is deleted (${r.why})` : r.approvalExpires ? 'the file is deleted (the approval has expired too)' : 'the file is deleted (no approval to renew under)';
  for (const r of report.revocations) demo.say(`  ${r.file}: ${r.action === 'delete' ? deleted(r) : 'status: expired (the approval is still valid: renewable without review)'}`);
  if (report.branch?.commit) demo.say(`  the revocation is committed on ${report.branch.name} (${report.branch.commit.sha.slice(0, 7)}), as the revocation pull request`);
  for (const e of report.expiring) demo.say(`  also ending soon (the owner of the grant is warned): ${e.file}`);
}
