import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIamProvider } from '../../src/adapters/create-iam-provider.js';
import type { ActionInputs } from '../../src/action/inputs.js';
import { run, type ActionDeps, type ActionIo, type AnnotationAt } from '../../src/action/run.js';
import { buildDecisionRecord, digestOf, serializeDecisionRecord } from '../../src/core/decision-record.js';
import { sealRecord } from '../../src/core/note-authentication.js';
import type { AccountSnapshot } from '../../src/core/iam/account-snapshot.js';
import type { IamProvider } from '../../src/ports.js';
import { TestRepo } from '../github-server/test-repo.js';
import { account } from '../helpers/iam-account.js';
import { grantYaml, ORG, PEOPLE, RESOURCES } from '../helpers/repo.js';
import { FakeGitHub, GRANTOPS_APP_ID } from './fake-github.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const NOTES_KEY = 'the-apply-workflow-secret-0123456789abcdef';
const RULES = {
  'access/grantops.yaml': ORG,
  'access/people.yaml': PEOPLE,
  'access/resources/aws-prod/logs-read.yaml': RESOURCES['logs-read']!,
  'access/resources/aws-prod/prod-db.yaml': RESOURCES['prod-db']!,
};
const DEV = 'access/grants/dev/logs-read.yaml';
const DEV2 = 'access/grants/dev2/logs-read.yaml';
const MGR = 'access/grants/mgr/logs-read.yaml';
const logsGrant = (user: string) => grantYaml({ user, resource: 'logs-read', reason: 'Investigate OPS-1', expires: '2026-12-01T00:00:00Z', status: 'active' });

/** What the Action wrote, recorded. */
class RecordingIo implements ActionIo {
  infos: string[] = [];
  warnings: { message: string; at?: AnnotationAt }[] = [];
  errors: { message: string; at?: AnnotationAt }[] = [];
  outputs: Record<string, string | number> = {};
  summary = '';
  failed?: string;
  info(message: string) { this.infos.push(message); }
  warning(message: string, at?: AnnotationAt) { this.warnings.push({ message, at }); }
  error(message: string, at?: AnnotationAt) { this.errors.push({ message, at }); }
  setOutput(name: string, value: string | number) { this.outputs[name] = value; }
  async writeSummary(markdown: string) { this.summary += markdown; }
  setFailed(message: string) { this.failed = message; }
}

describe('run (the GitHub Action)', () => {
  let repo: TestRepo;
  let github: FakeGitHub;
  let apiUrl: string;
  let scratch: string;
  let io: RecordingIo;

  beforeEach(async () => {
    repo = await TestRepo.create();
    github = new FakeGitHub();
    apiUrl = await github.start();
    scratch = await mkdtemp(join(tmpdir(), 'grantops-action-'));
    io = new RecordingIo();
  });
  afterEach(async () => {
    await github.stop();
    await repo.remove();
    await rm(scratch, { recursive: true, force: true });
  });

  async function writeState(state: AccountSnapshot): Promise<void> {
    await writeFile(join(repo.dir, 'state.json'), JSON.stringify(state, null, 2));
  }
  async function readState(): Promise<AccountSnapshot> {
    return JSON.parse(await readFile(join(repo.dir, 'state.json'), 'utf8')) as AccountSnapshot;
  }
  const groupsOf = async (user: string) => (await readState()).UserDetailList.find((u) => u.UserName === user)?.GroupList ?? [];

  async function pushEvent(before: string, after: string): Promise<string> {
    const path = join(scratch, 'event.json');
    await writeFile(path, JSON.stringify({ ref: 'refs/heads/main', before, after, repository: { full_name: 'vandelay/access' } }));
    return path;
  }

  function deps(inputs: Partial<ActionInputs>, env: { eventName?: string; eventPath?: string } = {}, extra: Partial<ActionDeps> = {}): Partial<ActionDeps> {
    return {
      readInputs: () => ({ command: 'apply', dir: 'access', provider: 'file', state: ['state.json'], dryRun: false, githubToken: 'gh-token', appId: GRANTOPS_APP_ID, notesKey: NOTES_KEY, ...inputs }),
      io,
      env: { workspace: repo.dir, repository: 'vandelay/access', ref: 'refs/heads/main', apiUrl, vars: {}, ...env },
      now: () => NOW,
      ...extra,
    };
  }

  /** The rules, then an approved pull request adding dev's grant, then a direct push adding dev2's. */
  async function approvedThenDirect(): Promise<{ before: string; approved: string; direct: string }> {
    const before = await repo.commit(RULES, 'rules');
    const approved = await repo.commit({ [DEV]: logsGrant('dev') }, 'grant dev logs-read (#1)');
    github.addPull({ number: 1, commits: [approved], headSha: approved }, [{ conclusion: 'success' }]);
    const direct = await repo.commit({ [DEV2]: logsGrant('dev2') }, 'sneak dev2 in');
    await writeState(account({ dev: {}, dev2: {} }, { groups: ['log-readers'] }));
    return { before, approved, direct };
  }

  it('applies a push whose grants all came through approved pull requests', async () => {
    const before = await repo.commit(RULES, 'rules');
    const after = await repo.commit({ [DEV]: logsGrant('dev') }, 'grant dev logs-read (#1)');
    github.addPull({ number: 1, commits: [after], headSha: after }, [{ conclusion: 'success' }]);
    await writeState(account({ dev: {} }, { groups: ['log-readers'] }));

    const report = await run(deps({}, { eventName: 'push', eventPath: await pushEvent(before, after) }));

    expect(report.ok).toBe(true);
    expect(io.failed).toBeUndefined();
    expect(io.outputs).toEqual({ operations: 1, applied: 1, failed: 0, withheld: 0, manual: 0, 'withheld-grants': 0, retries: 0 });
    expect(await groupsOf('dev')).toEqual(['log-readers']);
    expect(io.summary).toContain('| ✅ applied | add-user-to-group | aws-prod | `dev` | `log-readers` | `access/grants/dev/logs-read.yaml` |');
    expect(io.summary).toMatch(/1 changed file confirmed through approved pull requests[\s\S]*grant dev\/logs-read .* via #1/);
    expect(github.requests.map((r) => r.path)).toEqual([`/repos/vandelay/access/commits/${after}/pulls`, `/repos/vandelay/access/commits/${after}/check-runs`]);
  });

  it('applies the approved grant, withholds the directly pushed one, and fails naming its commit and grant', async () => {
    const { before, direct } = await approvedThenDirect();

    const report = await run(deps({}, { eventName: 'push', eventPath: await pushEvent(before, direct) }));

    expect(report.ok).toBe(false);
    expect(await groupsOf('dev')).toEqual(['log-readers']);
    expect(await groupsOf('dev2')).toEqual([]);
    expect(io.outputs).toEqual({ operations: 1, applied: 1, failed: 0, withheld: 1, manual: 0, 'withheld-grants': 0, retries: 0 });
    expect(io.failed).toBe(`grantops apply: 1 change did not arrive through an approved pull request and was not applied: grant dev2/logs-read (commit ${direct.slice(0, 7)})`);
    expect(io.errors).toEqual([
      {
        message: `grant dev2/logs-read (${DEV2}) is not applied: commit ${direct.slice(0, 7)} did not come from a pull request (pushed directly to main)`,
        at: { title: 'grantops: not from an approved pull request', file: DEV2, startLine: 1 },
      },
    ]);
    expect(io.summary).toContain('### Withheld: changes that did not arrive through an approved pull request');
    expect(io.summary).toContain(`| grant dev2/logs-read | \`${DEV2}\` | \`${direct.slice(0, 12)}\` |`);
  });

  it('withholds a grant an admin merged past a failing grantops check', async () => {
    const before = await repo.commit(RULES, 'rules');
    const after = await repo.commit({ [DEV]: logsGrant('dev') }, 'grant dev logs-read (#2)');
    github.addPull({ number: 2, commits: [after], headSha: after }, [{ conclusion: 'failure' }]);
    await writeState(account({ dev: {} }, { groups: ['log-readers'] }));

    const report = await run(deps({}, { eventName: 'push', eventPath: await pushEvent(before, after) }));

    expect(report.ok).toBe(false);
    expect(await groupsOf('dev')).toEqual([]);
    expect(io.errors[0]!.message).toMatch(/came through pull request #2, merged although the "grantops" check on its final head \w{7} concluded failure/);
    expect(io.summary).toContain('IAM already matches the repository: nothing to change.');
  });

  it('keeps a withheld change to a grant at its approved content instead of dropping the grant', async () => {
    await repo.commit(RULES, 'rules');
    const before = await repo.commit({ [DEV]: logsGrant('dev') }, 'an approved grant (#1)');
    github.addPull({ number: 1, commits: [before], headSha: before }, [{ conclusion: 'success' }]);
    // A direct push marks the grant expired: not applied, so dev keeps the access the approved version gave.
    const after = await repo.commit({ [DEV]: logsGrant('dev').replace('status: active', 'status: expired') }, 'expire dev directly');
    await writeState(account({ dev: { groups: ['log-readers'] } }, { groups: ['log-readers'] }));

    const report = await run(deps({}, { eventName: 'push', eventPath: await pushEvent(before, after) }));

    expect(report.provenance?.withheld).toEqual([DEV]);
    expect(report.provenance?.files.find((f) => f.path === DEV)).toMatchObject({ commit: after, confirmed: false, restoreFrom: before });
    expect(report.rows).toEqual([]);
    expect(await groupsOf('dev')).toEqual(['log-readers']);
    expect(io.summary).toContain(`| grant dev/logs-read | \`${DEV}\` | \`${after.slice(0, 12)}\` | as of \`${before.slice(0, 12)}\` |`);
  });

  it('removes the access of a grant the push deleted (a former grant on a non-exclusive resource)', async () => {
    const before = await repo.commit({ ...RULES, [DEV]: logsGrant('dev') }, 'rules and a grant');
    const after = await repo.commit({ [DEV]: null }, 'give up logs-read');
    await writeState(account({ dev: { groups: ['log-readers'] }, dev2: { groups: ['log-readers'] } }, { groups: ['log-readers'] }));

    const report = await run(deps({}, { eventName: 'push', eventPath: await pushEvent(before, after) }));

    expect(report.ok).toBe(true);
    expect(report.rows.map((r) => [r.outcome, r.operation.action, r.operation.principal])).toEqual([['applied', 'remove-user-from-group', 'dev']]);
    expect(await groupsOf('dev')).toEqual([]);
    // dev2 never held a grant here: on a non-exclusive resource their membership is not grantops's to take.
    expect(await groupsOf('dev2')).toEqual(['log-readers']);
    expect(github.requests).toEqual([]);
  });

  it('dry-run plans and confirms provenance but changes nothing', async () => {
    const { before, direct } = await approvedThenDirect();

    const report = await run(deps({ dryRun: true }, { eventName: 'push', eventPath: await pushEvent(before, direct) }));

    expect(report.rows.map((r) => [r.outcome, r.operation.principal])).toEqual([['planned', 'dev']]);
    expect(await groupsOf('dev')).toEqual([]);
    expect(io.outputs).toMatchObject({ operations: 1, applied: 0, withheld: 1 });
    expect(io.summary).toMatch(/^## grantops apply \(dry run\)/);
    expect(io.summary).toContain('| 📝 planned | add-user-to-group |');
    expect(io.failed).toMatch(/grant dev2\/logs-read/);
  });

  it('plan shows every operation the branch calls for, without asking GitHub', async () => {
    await approvedThenDirect();

    const report = await run(deps({ command: 'plan', githubToken: undefined }, { eventName: 'workflow_dispatch' }));

    expect(report.ok).toBe(true);
    expect(report.rows.map((r) => [r.outcome, r.operation.principal])).toEqual([['planned', 'dev'], ['planned', 'dev2']]);
    expect(io.outputs).toEqual({ operations: 2, applied: 0, failed: 0, withheld: 0, manual: 0, 'withheld-grants': 0, retries: 0 });
    expect(io.summary).toMatch(/^## grantops plan\n\n✅ 2 operations\n\n- `aws-prod`: 2 to add, 0 to remove\n/);
    expect(github.requests).toEqual([]);
    expect(await groupsOf('dev')).toEqual([]);
  });

  it('plans a pull request as its merge would apply it: fails a grant the quota pre-flight refuses, with an annotation on it; a problem already on the base branch is a warning', async () => {
    const prodDb = (user: string) => grantYaml({ user, resource: 'prod-db', reason: 'Investigate OPS-2', expires: '2026-11-27T00:00:00Z', status: 'active' });
    const base = await repo.commit({ ...RULES, [MGR]: logsGrant('mgr'), 'access/grants/dev2/prod-db.yaml': prodDb('dev2') }, 'rules and grants');
    await repo.branch('request');
    await repo.commit({ 'access/grants/dev/prod-db.yaml': prodDb('dev') }, 'dev asks for prod-db');
    await repo.checkout('main');
    await repo.git.raw(['merge', '--no-ff', '-m', 'Merge request into main', 'request']);
    // mgr has no IAM user (a problem of the base branch); dev already holds one policy of a quota of one.
    await writeState(account({ dev: { policies: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] }, dev2: { policies: ['arn:aws:iam::aws:policy/AmazonRDSFullAccess'] } }, { groups: ['log-readers'], summary: { AttachedPoliciesPerUserQuota: 1 } }));
    const eventPath = join(scratch, 'pull_request.json');
    await writeFile(eventPath, JSON.stringify({ pull_request: { number: 9, base: { sha: base } } }));

    const report = await run(deps({ command: 'plan', githubToken: undefined }, { eventName: 'pull_request', eventPath }));

    expect(report.ok).toBe(false);
    expect(report.withheld?.map((w) => w.file)).toEqual(['access/grants/dev/prod-db.yaml']);
    expect(io.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^prod-db: IAM user "dev" would have 2 attached managed policies; the account allows 1 per user$/), at: expect.objectContaining({ file: 'access/grants/dev/prod-db.yaml', startLine: 2, title: 'grantops: plan/quota-attached-policies' }) })]);
    expect(io.warnings).toEqual([expect.objectContaining({ message: expect.stringMatching(/IAM user "mgr" does not exist.*already so on the base branch/), at: expect.objectContaining({ file: MGR }) })]);
    expect(io.failed).toMatch(/1 grant was withheld by problems \(access\/grants\/dev\/prod-db.yaml\)/);
    expect(io.summary).toContain('### Withheld: grants a problem holds back');
    expect(io.summary).toContain('attach-user-policy `dev` `arn:aws:iam::aws:policy/AmazonRDSFullAccess` in aws-prod');
    expect(await groupsOf('dev')).toEqual([]);
  });

  it.each(['schedule', 'workflow_dispatch'])('withholds the directly pushed grant on a %s run too, naming its commit', async (eventName) => {
    const { direct } = await approvedThenDirect();

    const report = await run(deps({}, { eventName }));

    expect(report.ok).toBe(false);
    expect(report.notes).toEqual([]);
    expect(await groupsOf('dev')).toEqual(['log-readers']);
    expect(await groupsOf('dev2')).toEqual([]);
    expect(io.failed).toBe(`grantops apply: 1 change did not arrive through an approved pull request and was not applied: grant dev2/logs-read (commit ${direct.slice(0, 7)})`);
  });

  it('keeps withholding the directly pushed grant on the run of a later push whose range no longer holds it', async () => {
    const { direct } = await approvedThenDirect();
    await run(deps({}, { eventName: 'push', eventPath: await pushEvent(direct, direct) }));
    const later = await repo.commit({ [MGR]: logsGrant('mgr') }, 'grant mgr logs-read (#2)');
    github.addPull({ number: 2, commits: [later], headSha: later }, [{ conclusion: 'success' }]);
    await writeState(account({ dev: { groups: ['log-readers'] }, dev2: {}, mgr: {} }, { groups: ['log-readers'] }));
    io = new RecordingIo();

    const report = await run(deps({}, { eventName: 'push', eventPath: await pushEvent(direct, later) }));

    expect(report.ok).toBe(false);
    expect(await groupsOf('mgr')).toEqual(['log-readers']);
    expect(await groupsOf('dev2')).toEqual([]);
    expect(report.provenance?.withheld).toEqual([DEV2]);
    expect(io.errors.map((e) => e.message)).toEqual([`grant dev2/logs-read (${DEV2}) is not applied: commit ${direct.slice(0, 7)} did not come from a pull request (pushed directly to main)`]);
  });

  it('applies again once the direct push is reverted, and applies a pull request that replaces it', async () => {
    await approvedThenDirect();
    const reverted = await repo.commit({ [DEV2]: null }, 'Revert "sneak dev2 in"');
    io = new RecordingIo();
    const afterRevert = await run(deps({}, { eventName: 'push', eventPath: await pushEvent(reverted, reverted) }));
    expect(afterRevert.ok).toBe(true);
    expect(afterRevert.provenance?.withheld).toEqual([]);
    expect(await groupsOf('dev2')).toEqual([]);

    // Pushed again directly, then changed through an approved pull request: the reviewed content applies.
    await repo.commit({ [DEV2]: logsGrant('dev2') }, 'sneak dev2 in again');
    const replaced = await repo.commit({ [DEV2]: logsGrant('dev2').replace('Investigate OPS-1', 'Investigate OPS-2') }, 'dev2 logs-read, reviewed (#3)');
    github.addPull({ number: 3, commits: [replaced], headSha: replaced }, [{ conclusion: 'success' }]);
    io = new RecordingIo();
    const afterPull = await run(deps({}, { eventName: 'schedule' }));
    expect(afterPull.ok).toBe(true);
    expect(await groupsOf('dev2')).toEqual(['log-readers']);
  });

  it('applies a file whose direct change was undone by a direct revert, without failing', async () => {
    const { approved } = await approvedThenDirect();
    await repo.commit({ [DEV]: logsGrant('dev').replace('status: active', 'status: expired') }, 'expire dev directly');
    await repo.commit({ [DEV]: logsGrant('dev'), [DEV2]: null }, 'undo both direct pushes');
    await writeState(account({ dev: { groups: ['log-readers'] } }, { groups: ['log-readers'] }));

    const report = await run(deps({}, { eventName: 'schedule' }));

    expect(report.ok).toBe(true);
    expect(report.provenance?.files.find((f) => f.path === DEV)).toMatchObject({ confirmed: true, confirmedBy: { commit: approved, by: 'pull-request', pullRequest: 1 } });
    expect(await groupsOf('dev')).toEqual(['log-readers']);
  });

  /** A decision note as an earlier apply run writes it: the pull request's record on the commit it landed as, sealed with the notes key. */
  async function recordNote(commit: string, file: string, edit: (record: Record<string, unknown>) => void = () => {}, key: string | null = NOTES_KEY): Promise<void> {
    const built = buildDecisionRecord({
      kind: 'apply',
      commit,
      recordedAt: NOW,
      dir: 'access',
      rulesSha: commit,
      pullRequest: { number: 1, author: 'dev', headSha: commit, baseSha: commit, reviews: [] },
      grants: [{ file, user: 'dev', resource: 'logs-read', change: 'new', status: 'approved', approvals: [{ role: 'manager', by: 'mgr' }] }],
      operations: [],
    });
    const record = (key === null ? built : sealRecord(built, key)) as unknown as Record<string, unknown>;
    edit(record);
    await repo.git.raw(['notes', '--ref=refs/notes/grantops', 'append', '-m', serializeDecisionRecord(record as never), commit]);
  }

  it('confirms a file from the decision note an earlier run recorded, without asking GitHub', async () => {
    await repo.commit(RULES, 'rules');
    const approved = await repo.commit({ [DEV]: logsGrant('dev') }, 'grant dev logs-read (#1)');
    await recordNote(approved, DEV);
    await writeState(account({ dev: {} }, { groups: ['log-readers'] }));

    const report = await run(deps({}, { eventName: 'schedule' }));

    expect(report.ok).toBe(true);
    expect(github.requests).toEqual([]);
    expect(report.provenance?.files.map((f) => [f.path, f.confirmedBy?.by])).toEqual([
      ['access/grantops.yaml', 'bootstrap'],
      [DEV, 'note'],
      ['access/people.yaml', 'bootstrap'],
      ['access/resources/aws-prod/logs-read.yaml', 'bootstrap'],
      ['access/resources/aws-prod/prod-db.yaml', 'bootstrap'],
    ]);
    expect(io.summary).toContain('1 access file confirmed by decision notes of earlier runs.');
    expect(io.warnings).toEqual([]);
    expect(await groupsOf('dev')).toEqual(['log-readers']);
  });

  it.each([
    ['edited by hand after it was written', (r: Record<string, unknown>) => { (r.pullRequest as { number: number }).number = 2; }, NOTES_KEY, /does not match its digest/],
    ['moved onto another file, digest recomputed', (r: Record<string, unknown>) => { r.grants = []; r.digest = digestOf(r); }, NOTES_KEY, /has a seal the notes key did not make/],
    ['written by anybody with push access: well formed, but unsealed', () => {}, null, /carries no seal: anybody who can push refs\/notes\/grantops could have written it/],
    ['sealed with a key that is not the workflow\'s', () => {}, 'a-key-someone-else-picked-0123456789', /has a seal the notes key did not make/],
    ['whose digest was recomputed after an edit, keeping the old seal', (r: Record<string, unknown>) => { (r.pullRequest as { number: number }).number = 2; r.digest = digestOf(r); }, NOTES_KEY, /has a seal the notes key did not make/],
  ] as const)('does not trust a decision note %s: it is reported, GitHub is asked, and the direct push is withheld', async (_name, edit, key, reported) => {
    await repo.commit(RULES, 'rules');
    const direct = await repo.commit({ [DEV]: logsGrant('dev') }, 'grant dev logs-read');
    await recordNote(direct, DEV, edit, key);
    await writeState(account({ dev: {} }, { groups: ['log-readers'] }));

    const report = await run(deps({}, { eventName: 'schedule' }));

    expect(report.ok).toBe(false);
    expect(github.requests.map((r) => r.path)).toEqual([`/repos/vandelay/access/commits/${direct}/pulls`]);
    expect(report.provenance?.withheld).toEqual([DEV]);
    expect(await groupsOf('dev')).toEqual([]);
    expect(io.warnings).toEqual([{ message: expect.stringMatching(reported), at: { title: 'grantops: untrusted decision note' } }]);
    expect(io.warnings[0]!.message).toMatch(new RegExp(`commit ${direct.slice(0, 7)} was confirmed with GitHub instead$`));
    expect(io.summary).toContain('### Untrusted decision notes');
  });

  it('re-confirms with GitHub a commit whose unsealed note is genuine, and applies it', async () => {
    await repo.commit(RULES, 'rules');
    const approved = await repo.commit({ [DEV]: logsGrant('dev') }, 'grant dev logs-read (#1)');
    github.addPull({ number: 1, commits: [approved], headSha: approved }, [{ conclusion: 'success' }]);
    await recordNote(approved, DEV, () => {}, null);
    await writeState(account({ dev: {} }, { groups: ['log-readers'] }));

    const report = await run(deps({}, { eventName: 'schedule' }));

    expect(report.ok).toBe(true);
    expect(report.provenance?.files.find((f) => f.path === DEV)?.confirmedBy).toEqual({ commit: approved, by: 'pull-request', pullRequest: 1 });
    expect(io.warnings).toHaveLength(1);
    expect(await groupsOf('dev')).toEqual(['log-readers']);
  });

  it('without a notes key trusts no note, says so, and confirms every commit with GitHub', async () => {
    await repo.commit(RULES, 'rules');
    const direct = await repo.commit({ [DEV]: logsGrant('dev') }, 'grant dev logs-read');
    await recordNote(direct, DEV);
    await writeState(account({ dev: {} }, { groups: ['log-readers'] }));

    const report = await run(deps({ notesKey: undefined }, { eventName: 'schedule' }));

    expect(report.provenance?.withheld).toEqual([DEV]);
    expect(github.requests.map((r) => r.path)).toEqual([`/repos/vandelay/access/commits/${direct}/pulls`]);
    expect(report.notes).toEqual([expect.stringMatching(/^Decision notes were not consulted: without the "notes-key" input/)]);
  });

  it('counts only the grantops app\'s own check: a passing "grantops" check from another app is no approval', async () => {
    const before = await repo.commit(RULES, 'rules');
    const after = await repo.commit({ [DEV]: logsGrant('dev') }, 'grant dev logs-read (#4)');
    github.addPull({ number: 4, commits: [after], headSha: after }, [{ conclusion: 'success', app: 'lookalike', appId: 9999 }]);
    await writeState(account({ dev: {} }, { groups: ['log-readers'] }));

    const report = await run(deps({}, { eventName: 'push', eventPath: await pushEvent(before, after) }));

    expect(report.ok).toBe(false);
    expect(await groupsOf('dev')).toEqual([]);
    expect(io.errors.map((e) => e.message)).toEqual([
      `grant dev/logs-read (${DEV}) is not applied: commit ${after.slice(0, 7)} came through pull request #4, merged with no "grantops" check of the grantops app on its final head ${after.slice(0, 7)}; the "grantops" check there was reported by app 9999 (lookalike), not the grantops app (app ${GRANTOPS_APP_ID}), and does not count`,
    ]);
  });

  it('refuses to apply without the grantops app\'s id', async () => {
    const { before, direct } = await approvedThenDirect();
    const report = await run(deps({ appId: undefined }, { eventName: 'push', eventPath: await pushEvent(before, direct) }));
    expect(report.ok).toBe(false);
    expect(io.failed).toMatch(/input "app-id" is empty: give the grantops GitHub App's id/);
    expect(github.requests).toEqual([]);
    expect(await groupsOf('dev')).toEqual([]);
  });

  it('annotates an operation that fails on its grant file and fails the run', async () => {
    const before = await repo.commit(RULES, 'rules');
    const after = await repo.commit({ [DEV]: logsGrant('dev') }, 'grant (#1)');
    github.addPull({ number: 1, commits: [after], headSha: after }, [{ conclusion: 'success' }]);
    await writeState(account({ dev: {} }, { groups: ['log-readers'] }));
    const failing = (inputs: ActionInputs): IamProvider => {
      const real = createIamProvider({ provider: 'file', state: inputs.state, cwd: repo.dir });
      return {
        kind: 'failing',
        readSnapshot: (system, options) => real.readSnapshot(system, options),
        readAccountSummary: (system) => real.readAccountSummary(system),
        applyOperations: async (_system, operations) => operations.map((operation) => ({ operation, status: 'failed' as const, error: 'AccessDenied: not authorized to perform iam:AddUserToGroup' })),
      };
    };

    const report = await run(deps({}, { eventName: 'push', eventPath: await pushEvent(before, after) }, { createProvider: failing }));

    expect(report.ok).toBe(false);
    expect(io.outputs).toMatchObject({ operations: 1, applied: 0, failed: 1 });
    expect(io.errors).toEqual([{
      message: `add-user-to-group dev log-readers (${DEV}) failed: AccessDenied: not authorized to perform iam:AddUserToGroup`,
      at: { title: 'grantops: operation failed', file: DEV, startLine: 1 },
    }]);
    expect(io.failed).toBe('grantops apply: 1 operation failed');
    expect(io.summary).toContain('| ❌ failed: AccessDenied: not authorized to perform iam:AddUserToGroup | add-user-to-group |');
  });

  it('turns problems in the access directory into located annotations and withholds the broken grant', async () => {
    await repo.commit(RULES, 'rules');
    const merged = await repo.commit({ [DEV]: logsGrant('dev').replace('reason: Investigate OPS-1\n', '') }, 'a grant without a reason (#1)');
    github.addPull({ number: 1, commits: [merged], headSha: merged }, [{ conclusion: 'success' }]);
    await writeState(account({ dev: {} }, { groups: ['log-readers'] }));

    const report = await run(deps({}, { eventName: 'workflow_dispatch' }));

    expect(report.ok).toBe(false);
    expect(io.errors[0]!.at).toMatchObject({ file: DEV, startLine: 1, startColumn: 1 });
    expect(io.errors[0]!.at!.title).toMatch(/^grantops: schema\//);
    // The broken grant holds back only itself: the run fails, naming it.
    expect(io.failed).toBe(`grantops apply: 1 grant was withheld by problems (${DEV}); everything else was applied`);
    expect(io.summary).toContain('### Problems');
    expect(await groupsOf('dev')).toEqual([]);
  });

  it.each([
    ['audit', /command "audit" is not available in this version/],
  ] as const)('accepts %s and fails clearly until its use case exists', async (command, message) => {
    const report = await run(deps({ command }));
    expect(report.ok).toBe(false);
    expect(io.failed).toMatch(message);
    expect(io.summary).toContain('❌ stopped before planning');
    expect(io.outputs.operations).toBe(0);
  });

  it('fails before applying anything when a push cannot be confirmed', async () => {
    const { before, direct } = await approvedThenDirect();
    const eventPath = await pushEvent(before, direct);

    await run(deps({ githubToken: undefined }, { eventName: 'push', eventPath }));
    expect(io.failed).toMatch(/input "github-token" is empty/);

    io = new RecordingIo();
    await repo.checkout(before);
    await run(deps({}, { eventName: 'push', eventPath }));
    expect(io.failed).toMatch(new RegExp(`the checkout is at ${before} but the push ended at ${direct}`));

    io = new RecordingIo();
    await repo.checkout('main');
    github.status = 403;
    await run(deps({}, { eventName: 'push', eventPath }));
    expect(io.failed).toMatch(/GitHub GET .*\/pulls failed with 403/);

    expect(await groupsOf('dev')).toEqual([]);
  });

  it('reads its inputs from INPUT_* variables and writes outputs and the summary through @actions/core', async () => {
    await repo.commit({ ...RULES, [DEV]: logsGrant('dev') }, 'rules and a grant');
    await writeState(account({ dev: {} }, { groups: ['log-readers'] }));
    const outputFile = join(scratch, 'output');
    const summaryFile = join(scratch, 'summary.md');
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    const vars: Record<string, string> = {
      INPUT_COMMAND: 'plan',
      INPUT_DIR: 'access',
      INPUT_PROVIDER: 'file',
      INPUT_STATE: 'state.json',
      'INPUT_DRY-RUN': 'false',
      'INPUT_GITHUB-TOKEN': '',
      GITHUB_WORKSPACE: repo.dir,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
    };
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    Object.assign(process.env, vars);
    try {
      const report = await run({ now: () => NOW });
      expect(report.ok).toBe(true);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    const outputs = await readFile(outputFile, 'utf8');
    expect(outputs).toMatch(/^operations<<(ghadelimiter_[\w-]+)\n1\n\1$/m);
    expect(outputs).toMatch(/^applied<<(ghadelimiter_[\w-]+)\n0\n\1$/m);
    expect(await readFile(summaryFile, 'utf8')).toContain('| 📝 planned | add-user-to-group | aws-prod | `dev` | `log-readers` |');
    expect(process.exitCode ?? 0).toBe(0);
  });
});
