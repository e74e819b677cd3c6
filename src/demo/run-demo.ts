import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
 * `npm run demo`: the whole life of one grant, with the real commands, on a temporary copy of the Vandelay
 * Industries example (`access/`) and its account (`examples/aws-state.json`, the file provider's state).
 * It stands in only for what needs GitHub: the reviews, the merge button, and the decision notes the
 * Action writes after applying a merge and after an expire run. Every step's exit code and key facts are checked; the demo fails
 * at the first step that does not behave as the rules say.
 */

export interface DemoOptions {
  /** The project root: where `access/` and `examples/aws-state.json` are. */
  source: string;
  print: (line: string) => void;
  /** Leave the temporary repository in place (its path is printed). */
  keep?: boolean;
}

export interface DemoResult {
  ok: boolean;
  /** Facts checked along the way. */
  checks: number;
  failure?: string;
}

const GRANT = 'access/grants/kramer/prod-deploy.yaml';
const POLICY = 'arn:aws:iam::aws:policy/AWSCodeDeployFullAccess';
const IAM_USER = 'cosmo.kramer';
const PEOPLE = {
  art: { name: 'Art Vandelay', email: 'art@vandelay.example' },
  kramer: { name: 'Cosmo Kramer', email: 'kramer@vandelay.example', login: 'kramer' },
  github: { name: 'GitHub', email: 'noreply@github.com' },
  bot: { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' },
} as const;
type Actor = keyof typeof PEOPLE;

class DemoFailure extends Error {}

interface Run {
  code: number;
  out: string;
  err: string;
}

/** The demo's state: the repository, the account, and the clock every command is run at. */
class Demo {
  checks = 0;
  private clock = '';
  /** Every time the clock was set to: the only dates the history may carry. */
  private readonly times = new Set<number>();
  private pulls = new Map<number, MergedPullRequestFacts>();

  constructor(
    readonly repo: string,
    readonly state: string,
    private readonly print: (line: string) => void,
  ) {}

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
  private notes(): DecisionNotes {
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

  /** The policies the account holds for Kramer's IAM user right now. */
  kramerPolicies(): string[] {
    const account = JSON.parse(readFileSync(this.state, 'utf8')) as { UserDetailList: { UserName: string; AttachedManagedPolicies?: { PolicyArn: string }[] }[] };
    return (account.UserDetailList.find((u) => u.UserName === IAM_USER)?.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn);
  }
}

const quote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`);

/** An operation as apply or expire prints it; expire also prints the ones it only planned. */
type PrintedOperation = OperationJson & { status: string };

function outcomes(operations: PrintedOperation[]): OperationOutcome[] {
  return operations.map((op) => ({
    operation: { action: op.action, system: op.system, principal: op.principal, target: op.target, resource: op.resource, grant: op.grant, ...(op.drift ? { drift: true } : {}) },
    status: op.status === 'done' ? 'done' : 'failed',
  }));
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const { print } = options;
  const work = mkdtempSync(join(tmpdir(), 'grantops-demo-'));
  const repo = join(work, 'vandelay-access');
  const state = join(work, 'aws-account', 'aws-state.json');
  const demo = new Demo(repo, state, print);
  print('grantops demo: the life of one grant at Vandelay Industries, with the real commands.');
  print(`A git repository with the example organisation (access/) is made in ${work}, beside a copy of its AWS`);
  print('account (aws-account/aws-state.json, the file provider). The demo plays GitHub\'s part: the reviews, the');
  print('merge button, and the decision notes the Action records after apply and expire runs. The clock moves with --now.');
  try {
    await walk(demo, options.source, work);
    print('');
    print(`Demo complete: every step behaved as the rules say (${demo.checks} checks).`);
    return { ok: true, checks: demo.checks };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    print('');
    print(`DEMO FAILED at ${demo.now}: ${message}`);
    return { ok: false, checks: demo.checks, failure: message };
  } finally {
    if (options.keep) print(`(the repository is kept in ${repo})`);
    else rmSync(work, { recursive: true, force: true });
  }
}

async function walk(demo: Demo, source: string, work: string): Promise<void> {
  // Commands run in the repository; the account's state file lies beside it, as an AWS account would.
  const STATE = ['--state', join('..', 'aws-account', 'aws-state.json')];
  /** The apply workflow's run: what `apply --format json` did, operation by operation. */
  const applyJson = async () =>
    (JSON.parse((await demo.grantops(['apply', ...STATE, '--format', 'json', '--now', demo.now], { code: 0, show: 'none' })).out) as { operations: AppliedOperationJson[] }).operations;
  const branch1 = 'grant/kramer/prod-deploy-2026-11-22';
  const branch2 = 'grant/kramer/prod-deploy-2026-11-24';

  // 0. The organisation's repository and its AWS account.
  demo.at('2026-11-22T09:00:00Z');
  mkdirSync(demo.repo);
  cpSync(join(source, 'access'), join(demo.repo, 'access'), { recursive: true });
  mkdirSync(join(work, 'aws-account'));
  cpSync(join(source, 'examples', 'aws-state.json'), demo.state);
  demo.git(['init', '-q', '-b', 'main']);
  demo.actAs('art');
  demo.git(['add', 'access']);
  demo.git(['commit', '-q', '-m', 'Vandelay Industries: people, resources and grants']);
  demo.heading('0', 'Vandelay Industries keeps its access in git');
  demo.say(`a new repository with the example organisation (access/), and its AWS account as a file (${join('aws-account', 'aws-state.json')})`);
  await demo.grantops(['validate'], { code: 0 });
  await demo.grantops(['apply', ...STATE, '--now', demo.now], { code: 0 });
  demo.say('the account now matches the grants; from here on, one grant is followed through its whole life');

  // 1. The request.
  demo.at('2026-11-22T09:05:00Z');
  demo.heading('1', 'Kramer asks for prod-deploy (high sensitivity) for one day');
  demo.actAs('kramer');
  const request = await demo.grantops(
    ['request', '--resource', 'prod-deploy', '--for-duration', '1d', '--approval-ttl', '3d', '--reason', 'Deploy the new order pipeline (OPS-140)', '--now', demo.now],
    { code: 0 },
  );
  demo.expectLines(request.out, [new RegExp(`committed on branch ${branch1}`), /manager\*\*: @george/, /owner\*\*: @elaine/]);
  demo.next('Kramer pushes the branch and opens the pull request (#1); George (his manager) and Elaine (the owner of prod-deploy) must approve');

  // 2-4. The approvals.
  demo.at('2026-11-22T09:10:00Z');
  demo.heading('2', 'The grantops check on pull request #1: who must still approve?');
  const none = await demo.grantops(['check', '--base', 'main', '--head', branch1, '--now', demo.now], { code: 1 });
  demo.expectLines(none.out, [/manager: MISSING \(can approve: george\)/, /owner: MISSING \(can approve: elaine\)/]);
  demo.next('George and Elaine review');

  demo.at('2026-11-22T09:30:00Z');
  demo.heading('3', 'George, Kramer\'s manager, approves');
  const head1 = demo.git(['rev-parse', branch1]);
  const georgeReview: Review = { reviewer: 'george', state: 'APPROVED', commitSha: head1, submittedAt: demo.now };
  const one = await demo.grantops(['check', '--base', 'main', '--head', branch1, '--approvals', 'george', '--now', demo.now], { code: 1 });
  demo.expectLines(one.out, [/manager: approved by george/, /owner: MISSING \(can approve: elaine\)/]);
  demo.next('still missing the owner: Elaine');

  demo.at('2026-11-22T09:45:00Z');
  demo.heading('4', 'Elaine, the owner of prod-deploy, approves');
  const elaineReview: Review = { reviewer: 'elaine', state: 'APPROVED', commitSha: head1, submittedAt: demo.now };
  const both = await demo.grantops(['check', '--base', 'main', '--head', branch1, '--approvals', 'george,elaine', '--now', demo.now], { code: 0 });
  demo.expectLines(both.out, [/^APPROVED/, /owner: approved by elaine/]);
  demo.next('the check passes, so the pull request may be merged');

  // 5. Merge and apply.
  demo.at('2026-11-22T10:00:00Z');
  demo.heading('5', 'Merged: the apply workflow gives Kramer the access');
  demo.merge(1, branch1, 'kramer', 'kramer', [georgeReview, elaineReview]);
  demo.check(!demo.kramerPolicies().includes(POLICY), 'Kramer held the policy before apply');
  const applied = await applyJson();
  for (const op of applied) demo.say(`  ${op.status} ${op.action} ${op.principal} ${op.target}`);
  demo.check(applied.length === 1 && applied[0]!.action === 'attach-user-policy' && applied[0]!.grant === GRANT, 'apply should attach exactly Kramer\'s new policy');
  demo.check(demo.kramerPolicies().includes(POLICY), 'the account does not hold the policy after apply');
  await demo.recordMerge(1, outcomes(applied));
  demo.next('nothing: the access ends by itself at expires (2026-11-23 09:05 UTC)');

  // 6. Expiry.
  demo.at('2026-11-23T10:00:00Z');
  demo.heading('6', 'A day later, past expires: the scheduled expire run removes the access');
  demo.actAs('bot');
  const expired = JSON.parse((await demo.grantops(['expire', ...STATE, '--format', 'json', '--now', demo.now], { code: 0, show: 'none' })).out) as ExpireJson;
  sayExpiry(demo, expired);
  demo.check(expired.recorded.length === 1 && expired.recorded[0] === GRANT, 'expire should revoke exactly Kramer\'s grant');
  demo.check(expired.revocations[0]?.action === 'mark-expired', 'while the approval is valid, the grant is kept as expired');
  demo.check(Date.parse(demo.git(['log', '-1', '--format=%cI', 'grantops/revoke'])) === Date.parse(demo.now), 'the revocation commit is not dated by --now');
  demo.check(!demo.kramerPolicies().includes(POLICY), 'the account still holds the policy after expire');
  await demo.recordExpiry(outcomes(expired.operations), expired.recorded);
  const revoke1 = await demo.grantops(['check', '--base', 'main', '--head', 'grantops/revoke', '--author', 'github-actions', '--now', demo.now], { code: 0 });
  demo.expectLines(revoke1.out, [/give-up: approved/, /needs nobody's approval/]);
  demo.at('2026-11-23T10:05:00Z');
  demo.merge(2, 'grantops/revoke', 'github-actions', 'head-honcho', []);
  const noop1 = await applyJson();
  demo.check(noop1.length === 0, 'apply after the revocation should find nothing to do');
  await demo.recordMerge(2, []);
  demo.next('Kramer may renew without anyone\'s approval until approvalExpires (2026-11-25 09:05 UTC)');

  // 7. Renewal inside the approval window.
  demo.at('2026-11-24T09:00:00Z');
  demo.heading('7', 'Kramer renews inside the approval window');
  demo.actAs('kramer');
  const renewal = await demo.grantops(['request', '--resource', 'prod-deploy', '--for-duration', '1d', '--now', demo.now], { code: 0 });
  demo.expectLines(renewal.out, [/^Renew prod-deploy/m, /Approved at once, no reviewer needed/, new RegExp(`committed on branch ${branch2}`)]);
  demo.at('2026-11-24T09:01:00Z');
  const renewCheck = await demo.grantops(['check', '--base', 'main', '--head', branch2, '--now', demo.now], { code: 0 });
  demo.expectLines(renewCheck.out, [/renewal: approved/, /needs nobody's approval/]);
  demo.at('2026-11-24T09:10:00Z');
  demo.merge(3, branch2, 'kramer', 'kramer', []);
  const reapplied = await applyJson();
  for (const op of reapplied) demo.say(`  ${op.status} ${op.action} ${op.principal} ${op.target}`);
  demo.check(reapplied.length === 1 && reapplied[0]!.action === 'attach-user-policy', 'apply should attach the policy again');
  await demo.recordMerge(3, outcomes(reapplied));
  demo.next('nothing: the renewed access ends at 2026-11-25 09:00 UTC, and the approval at 09:05');

  // 8. Past the approval: the grant is deleted.
  demo.at('2026-11-25T10:00:00Z');
  demo.heading('8', 'Past approvalExpires: the next expire run deletes the grant');
  demo.actAs('bot');
  const deleted = JSON.parse((await demo.grantops(['expire', ...STATE, '--format', 'json', '--now', demo.now], { code: 0, show: 'none' })).out) as ExpireJson;
  sayExpiry(demo, deleted);
  demo.check(deleted.recorded.length === 1 && deleted.revocations[0]?.action === 'delete', 'once the approval has expired too, the grant file is deleted');
  demo.check(!demo.kramerPolicies().includes(POLICY), 'the account still holds the policy after the second expire');
  await demo.recordExpiry(outcomes(deleted.operations), deleted.recorded);
  demo.at('2026-11-25T10:05:00Z');
  demo.merge(4, 'grantops/revoke', 'github-actions', 'head-honcho', []);
  const noop2 = await applyJson();
  demo.check(noop2.length === 0, 'apply after the deletion should find nothing to do');
  await demo.recordMerge(4, []);
  demo.check(demo.git(['ls-tree', '--name-only', 'HEAD', GRANT]) === '', 'the grant file is still on main');
  demo.next('from now on Kramer must ask again, with the full approval');

  // 9. The audit.
  demo.at('2026-11-25T10:10:00Z');
  demo.heading('9', 'The auditor reads the whole story from git');
  demo.check(demo.datedByClock(['main', 'refs/notes/grantops']), 'a commit of the history is not dated by the demo\'s clock');
  const audit = await demo.grantops(['audit', '--user', 'kramer', '--resource', 'prod-deploy', '--now', demo.now], { code: 0 });
  demo.expectLines(audit.out, [
    /\| requested \| kramer \|/,
    /\| approved \| george \| manager \|/,
    /\| approved \| elaine \| owner \|/,
    /\| merged \|/,
    /\| provisioned \|/,
    /\| expired \|/,
    /\| revoked \|/,
    /\| renewed \|/,
    /\| deleted \|/,
    /Changes that reached the default branch without a valid decision record: 0/,
  ]);
  demo.say('--verify judges every recorded decision again, with the rules as they stood at the time:');
  const verify = await demo.grantops(['audit', '--verify', '--user', 'kramer', '--resource', 'prod-deploy', '--format', 'json', '--now', demo.now], { code: 0, show: 'none' });
  const findings = (JSON.parse(verify.out) as { findings?: unknown[] }).findings;
  demo.check(Array.isArray(findings) && findings.length === 0, `audit --verify found problems: ${JSON.stringify(findings)}`);
  demo.say('  0 findings: each change of the grant has a decision record that satisfies the rules of its time');
}

interface ExpireJson {
  revocations: { file: string; action: 'mark-expired' | 'delete' }[];
  recorded: string[];
  operations: PrintedOperation[];
  branch: { name: string; commit?: { sha: string } } | null;
  expiring: { file: string }[];
}

function sayExpiry(demo: Demo, report: ExpireJson): void {
  for (const op of report.operations) demo.say(`  ${op.status} ${op.action} ${op.principal} ${op.target}`);
  for (const r of report.revocations) demo.say(`  ${r.file}: ${r.action === 'delete' ? 'the file is deleted (the approval has expired too)' : 'status: expired (the approval is still valid: renewable without review)'}`);
  if (report.branch?.commit) demo.say(`  the revocation is committed on ${report.branch.name} (${report.branch.commit.sha.slice(0, 7)}), as the revocation pull request`);
  for (const e of report.expiring) demo.say(`  also ending soon (the owner of the grant is warned): ${e.file}`);
}
