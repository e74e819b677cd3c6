import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { simpleGit } from 'simple-git';
import { LocalGitRefReader } from '../../src/adapters/git/git-ref-reader.js';
import { GitDecisionNotes } from '../../src/adapters/git/notes.js';
import type { Review } from '../../src/core/approval/pull-request.js';
import type { AuditReport } from '../../src/core/audit/audit-report.js';
import { buildDecisionRecord, grantChangesFromExpiry, parseDecisionNote, serializeDecisionRecord, type OperationOutcome } from '../../src/core/decision-record.js';
import { buildMergeDecision, recordDecision } from '../../src/usecases/record-decision.js';
import { runCli } from '../helpers/cli.js';
import { ORG, RESOURCES, grantYaml } from '../helpers/repo.js';

/*
 * A real repository, built commit by commit the way grantops is used: a request on a branch, approvals,
 * a merge commit, the apply run's decision note, an expire run's note and its revocation pull request,
 * a renewal, and one direct push that bypassed review. A bare repository is the remote; every audit runs
 * on a fresh clone that fetched the notes as the README tells auditors to.
 */

const PEOPLE = `- { login: owner, name: Org Owner, email: owner@vandelay.example, roles: [executive], aws: { user: owner } }
- { login: boss, name: Big Boss, email: boss@vandelay.example, manager: owner, aws: { user: boss } }
- { login: mgr, name: Manager, email: mgr@vandelay.example, manager: boss, aws: { user: mgr } }
- { login: dev, name: Developer, email: dev@vandelay.example, manager: mgr, aws: { user: dev } }
- { login: dev2, name: Developer Two, email: dev2@vandelay.example, manager: mgr, aws: { user: dev2 } }
- { login: res-owner, name: Resource Owner, email: res-owner@vandelay.example, manager: boss, aws: { user: res-owner } }
`;
const DEV_DB = 'access/grants/dev/prod-db.yaml';
const DEV2_DB = 'access/grants/dev2/prod-db.yaml';
const POLICY = 'arn:aws:iam::aws:policy/AmazonRDSFullAccess';
const BOT = { name: 'grantops[bot]', email: '41898282+grantops[bot]@users.noreply.github.com' };
const GITHUB = { name: 'GitHub', email: 'noreply@github.com' };
const person = (login: string) => ({ name: login, email: `${login}@vandelay.example` });

const grant = (user: string, over: Record<string, string> = {}) =>
  grantYaml({ user, resource: 'prod-db', reason: 'debug OPS-1', expires: '2026-11-06T00:00:00Z', approvalExpires: '2026-12-20T00:00:00Z', status: 'active', ...over });

const execFileAsync = promisify(execFile);

let tmp: string;
let remote: string;
let work: string;
const sha: Record<string, string> = {};

type Who = { name: string; email: string };

/** Git with a chosen author, committer and time (simple-git guards these variables, so plain execFile). */
async function git(dir: string, args: string[], who: Who = person('owner'), at = '2026-11-01T09:00:00Z'): Promise<string> {
  const env = { PATH: process.env.PATH ?? '', HOME: tmp, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email, GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at };
  const { stdout } = await execFileAsync('git', args, { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function commit(files: Record<string, string>, message: string, who: Who, at: string): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), content);
  }
  await git(work, ['add', '--', ...Object.keys(files)], who, at);
  await git(work, ['commit', '-q', '-m', message], who, at);
  return (await git(work, ['rev-parse', 'HEAD'])).trim();
}

async function merge(branch: string, pr: number, at: string): Promise<string> {
  await git(work, ['checkout', '-q', 'main']);
  await git(work, ['merge', '-q', '--no-ff', branch, '-m', `Merge pull request #${pr} from vandelay/${branch}`], GITHUB, at);
  await git(work, ['push', '-q', 'origin', 'main']);
  return (await git(work, ['rev-parse', 'HEAD'])).trim();
}

const attach = (user: string, at: string): OperationOutcome => ({
  operation: { action: 'attach-user-policy', system: 'aws-prod', principal: user, target: POLICY, resource: 'prod-db', grant: `access/grants/${user}/prod-db.yaml` },
  status: 'done',
  at,
});

/** What the Action does after applying a merged pull request. */
async function recordApply(commit: string, pr: { number: number; author: string; headSha: string; reviews: Review[]; mergedBy: string }, at: string, operations: OperationOutcome[]): Promise<void> {
  const { input, result } = await buildMergeDecision(new LocalGitRefReader(work), { commit, dir: 'access', pullRequest: pr, at: new Date(at), operations });
  expect(result.approved).toBe(true);
  await recordDecision(new GitDecisionNotes(work), input, { remote: 'origin' });
}

const approve = (reviewer: string, commitSha: string, submittedAt: string): Review => ({ reviewer, state: 'APPROVED', commitSha, submittedAt });

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'grantops-audit-'));
  remote = join(tmp, 'remote.git');
  work = join(tmp, 'work');
  await simpleGit().raw(['init', '-q', '--bare', '-b', 'main', remote]);
  await simpleGit().raw(['init', '-q', '-b', 'main', work]);
  await git(work, ['remote', 'add', 'origin', remote]);

  // The organisation's rules, set up by its owner.
  sha.root = await commit(
    { 'access/grantops.yaml': ORG, 'access/people.yaml': PEOPLE, ...Object.fromEntries(Object.entries(RESOURCES).map(([id, text]) => [`access/resources/aws-prod/${id}.yaml`, text])) },
    'The organisation and its rules',
    person('owner'),
    '2026-11-01T09:00:00Z',
  );
  await git(work, ['push', '-q', 'origin', 'main']);

  // dev asks for prod-db (sensitivity high: manager and owner); mgr and res-owner approve the head; merged.
  await git(work, ['checkout', '-q', '-b', 'req-db']);
  sha.request = await commit({ [DEV_DB]: grant('dev') }, 'Request prod-db for OPS-1', person('dev'), '2026-11-02T10:00:00Z');
  sha.merge1 = await merge('req-db', 1, '2026-11-02T12:00:00Z');
  await recordApply(
    sha.merge1,
    { number: 1, author: 'dev', headSha: sha.request, mergedBy: 'mgr', reviews: [approve('mgr', sha.request, '2026-11-02T11:00:00Z'), approve('res-owner', sha.request, '2026-11-02T11:30:00Z')] },
    '2026-11-02T12:01:00Z',
    [attach('dev', '2026-11-02T12:01:30Z')],
  );

  // The expire run: access removed at expiry (recorded on the branch head it read), then the revocation PR.
  await recordDecision(
    new GitDecisionNotes(work),
    {
      kind: 'expire',
      commit: sha.merge1,
      recordedAt: new Date('2026-11-06T01:00:15Z'),
      dir: 'access',
      rulesSha: sha.merge1,
      grants: grantChangesFromExpiry([{ file: DEV_DB, user: 'dev', resource: 'prod-db' }]),
      operations: [{ ...attach('dev', '2026-11-06T01:00:10Z'), operation: { ...attach('dev', '').operation, action: 'detach-user-policy' } }],
    },
    { remote: 'origin' },
  );
  await git(work, ['checkout', '-q', '-b', 'grantops/revoke']);
  sha.revocation = await commit({ [DEV_DB]: grant('dev', { status: 'expired' }) }, 'Revoke expired access', BOT, '2026-11-06T01:00:20Z');
  sha.merge2 = await merge('grantops/revoke', 2, '2026-11-06T09:00:00Z');
  await recordApply(sha.merge2, { number: 2, author: 'grantops[bot]', headSha: sha.revocation, mergedBy: 'mgr', reviews: [] }, '2026-11-06T09:01:00Z', []);

  // dev renews inside the approval window: approved with no reviewer, merged, provisioned again.
  await git(work, ['checkout', '-q', '-b', 'renew-db']);
  sha.renewal = await commit({ [DEV_DB]: grant('dev', { expires: '2026-11-15T00:00:00Z' }) }, 'Renew prod-db', person('dev'), '2026-11-10T09:00:00Z');
  sha.merge3 = await merge('renew-db', 3, '2026-11-10T10:00:00Z');
  await recordApply(sha.merge3, { number: 3, author: 'dev', headSha: sha.renewal, mergedBy: 'dev', reviews: [] }, '2026-11-10T10:01:00Z', [attach('dev', '2026-11-10T10:01:30Z')]);

  // dev2 pushes a grant straight to main: no pull request, no review, no decision.
  await git(work, ['checkout', '-q', 'main']);
  sha.bypass = await commit({ [DEV2_DB]: grant('dev2', { expires: '2026-11-18T00:00:00Z' }) }, 'Give myself prod-db', person('dev2'), '2026-11-12T15:00:00Z');
  await git(work, ['push', '-q', 'origin', 'main']);
}, 60_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** An auditor's clone: the history and, fetched explicitly, the decision notes. */
async function auditorClone(name: string, options: { depth?: number; notes?: boolean } = {}): Promise<string> {
  const dir = join(tmp, name);
  await simpleGit().raw(['clone', '-q', ...(options.depth ? ['--depth', String(options.depth)] : []), `file://${remote}`, dir]);
  if (options.notes !== false) await git(dir, ['fetch', '-q', 'origin', 'refs/notes/grantops:refs/notes/grantops']);
  return dir;
}

async function audit(dir: string, args: string[] = [], now = '2026-11-13T00:00:00Z') {
  const run = await runCli(['audit', '--format', 'json', '--now', now, ...args], dir);
  return { ...run, report: JSON.parse(run.out) as AuditReport };
}

const short = (s: string | undefined) => s?.slice(0, 7);

describe('grantops audit on a real history', () => {
  let clone: string;
  beforeAll(async () => {
    clone = await auditorClone('auditor');
  });

  it('lists the lifecycle of a grant exactly, oldest first', async () => {
    const { code, report } = await audit(clone);
    expect(code).toBe(0);
    const dev = report.grants.find((g) => g.file === DEV_DB)!;
    expect(dev.events.map((e) => [e.at, e.type, e.by ?? '', e.role ?? '', e.pr ?? '', short(e.commit ?? e.headSha) ?? '', e.result ?? ''])).toEqual([
      ['2026-11-02T10:00:00.000Z', 'requested', 'dev', '', 1, short(sha.request), ''],
      ['2026-11-02T11:00:00.000Z', 'approved', 'mgr', 'manager', 1, short(sha.request), ''],
      ['2026-11-02T11:30:00.000Z', 'approved', 'res-owner', 'owner', 1, short(sha.request), ''],
      ['2026-11-02T12:00:00.000Z', 'merged', 'mgr', '', 1, short(sha.merge1), ''],
      ['2026-11-02T12:01:30.000Z', 'provisioned', '', '', 1, short(sha.merge1), 'done'],
      ['2026-11-06T01:00:10.000Z', 'expired', '', '', '', short(sha.merge1), 'done'],
      ['2026-11-06T01:00:20.000Z', 'requested', 'grantops[bot]', '', 2, short(sha.revocation), ''],
      ['2026-11-06T09:00:00.000Z', 'approved', '', '', 2, short(sha.revocation), ''],
      ['2026-11-06T09:00:00.000Z', 'revoked', 'mgr', '', 2, short(sha.merge2), ''],
      ['2026-11-10T09:00:00.000Z', 'requested', 'dev', '', 3, short(sha.renewal), ''],
      ['2026-11-10T10:00:00.000Z', 'approved', '', '', 3, short(sha.renewal), ''],
      ['2026-11-10T10:00:00.000Z', 'renewed', 'dev', '', 3, short(sha.merge3), ''],
      ['2026-11-10T10:01:30.000Z', 'provisioned', '', '', 3, short(sha.merge3), 'done'],
    ]);
    expect(dev.events.find((e) => e.type === 'approved' && e.by === 'mgr')!.headSha).toBe(sha.request);
    expect(dev.events.filter((e) => e.type === 'approved' && e.by === undefined).map((e) => e.details)).toEqual(['no approval needed (give-up)', 'no approval needed (renewal)']);
    expect(dev.current).toEqual({ status: 'active', expires: '2026-11-15T00:00:00Z', approvalExpires: '2026-12-20T00:00:00Z' });
    expect(dev.provisioned).toBe(true);

    const dev2 = report.grants.find((g) => g.file === DEV2_DB)!;
    expect(dev2.events.map((e) => [e.type, e.by, e.via, e.record])).toEqual([['pushed', 'dev2', 'direct-push', 'missing']]);
  });

  it('summarises active grants, the change without a decision record, and access left after expiry', async () => {
    const { report } = await audit(clone);
    expect(report.summary.activeGrants.map((g) => `${g.user}/${g.resource}`)).toEqual(['dev/prod-db', 'dev2/prod-db']);
    expect(report.summary.unrecordedChanges).toEqual([expect.objectContaining({ commit: sha.bypass, file: DEV2_DB, via: 'direct-push', record: 'missing' })]);
    expect(report.summary.provisionedAfterExpiry).toEqual([]);
    expect(report.summary.recordProblems).toEqual([]);
    expect(report.coverage).toMatchObject({ head: sha.bypass });
    expect(report.coverage.shallow).toBeUndefined();

    // Three days later dev's renewed access has expired, but no expire run has removed it yet.
    const later = await audit(clone, [], '2026-11-16T00:00:00Z');
    expect(later.report.summary.provisionedAfterExpiry).toEqual([{ file: DEV_DB, user: 'dev', resource: 'prod-db', expires: '2026-11-15T00:00:00Z', reason: 'expired', since: '2026-11-10T10:01:30.000Z' }]);
  });

  it('--verify re-judges every decision with the rules of its time and flags exactly the bypass', async () => {
    const { code, report, err } = await audit(clone, ['--verify']);
    expect(report.findings).toEqual([{ rule: 'verify/no-record', commit: sha.bypass, at: '2026-11-12T15:00:00.000Z', files: [DEV2_DB], message: expect.stringMatching(/pushed directly by dev2 .*no decision record/) }]);
    expect(code).toBe(1);
    expect(err).toContain(short(sha.bypass));
  });

  it('renders the markdown report as a table per person, and per resource when asked', async () => {
    const md = await runCli(['audit', '--now', '2026-11-13T00:00:00Z', '--verify'], clone);
    expect(md.out).toContain('## Person: dev\n');
    expect(md.out).toContain('## Person: dev2\n');
    expect(md.out).toContain('| When | Resource | Event | By | Role | Commit | PR | Details |');
    expect(md.out).toMatch(/\| 2026-11-02T11:00:00.000Z \| prod-db \| approved \| mgr \| manager \| `[0-9a-f]{7}` \| #1 \| as manager on head [0-9a-f]{7} \|/);
    expect(md.out).toContain('- Changes that reached the default branch without a valid decision record: 1');
    expect(md.out).toContain('## Verification');
    const byResource = await runCli(['audit', '--now', '2026-11-13T00:00:00Z', '--resource', 'prod-db'], clone);
    expect(byResource.out).toContain('## Resource: prod-db\n');
    expect(byResource.out).toContain('| When | Person | Event |');
  });

  it('filters by person and by time, and writes CSV for spreadsheets', async () => {
    const { report } = await audit(clone, ['--user', 'dev', '--since', '2026-11-06', '--until', '2026-11-06']);
    expect(report.grants.map((g) => g.file)).toEqual([DEV_DB]);
    expect(report.grants[0]!.events.map((e) => e.type)).toEqual(['expired', 'requested', 'approved', 'revoked']);
    expect(report.summary.unrecordedChanges).toEqual([]);

    const csv = await runCli(['audit', '--format', 'csv', '--now', '2026-11-13T00:00:00Z', '--user', 'dev2'], clone);
    const lines = csv.out.trim().split('\n');
    expect(lines[0]).toBe('time,user,resource,file,event,by,role,commit,pr,head_sha,via,record,operation,result,details');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^2026-11-12T15:00:00.000Z,dev2,prod-db,${DEV2_DB},pushed,dev2,,${sha.bypass},,,direct-push,missing,,,`));
  });

  it('flags a tampered note: an edited record is rewritten history and no longer vouches for its merge', async () => {
    const dir = await auditorClone('tamper-edit');
    const note = await git(dir, ['notes', '--ref=refs/notes/grantops', 'show', sha.merge1]);
    // Someone replaces the manager's approval with their own and rewrites the note.
    await git(dir, ['notes', '--ref=refs/notes/grantops', 'add', '-f', '-m', note.replace(/"by":"mgr"/, '"by":"boss"').trim(), sha.merge1]);
    const { code, report } = await audit(dir, ['--verify']);
    expect(code).toBe(1);
    expect(report.findings!.map((f) => [f.rule, f.commit])).toEqual([
      ['verify/record-invalid', sha.merge1],
      ['verify/no-record', sha.bypass],
    ]);
    expect(report.findings![0]!.message).toMatch(/rewritten by notes commit/);
    expect(report.summary.recordProblems.map((p) => p.rule).sort()).toEqual(['record/digest', 'record/rewritten']);
    expect(report.summary.unrecordedChanges.map((c) => [c.commit, c.record])).toEqual([
      [sha.merge1, 'invalid'],
      [sha.bypass, 'missing'],
    ]);
  });

  it('flags an appended note that is not a record, and a forged record the rules do not support', async () => {
    const dir = await auditorClone('tamper-append');
    await git(dir, ['notes', '--ref=refs/notes/grantops', 'append', '-m', 'approved in the hallway', sha.merge3]);
    // dev2 forges a well-formed record for the bypass, approving it himself: append-only, digest correct.
    const forged = buildDecisionRecord({
      kind: 'apply',
      commit: sha.bypass!,
      recordedAt: new Date('2026-11-12T15:01:00Z'),
      dir: 'access',
      rulesSha: sha.merge3!,
      pullRequest: { number: 9, author: 'dev2', headSha: sha.bypass!, baseSha: sha.merge3!, reviews: [approve('dev2', sha.bypass!, '2026-11-12T15:00:30Z')] },
      grants: [{ file: DEV2_DB, user: 'dev2', resource: 'prod-db', change: 'new', status: 'approved', approvals: [{ role: 'manager', by: 'dev2' }, { role: 'owner', by: 'dev2' }] }],
      operations: [],
    });
    await git(dir, ['notes', '--ref=refs/notes/grantops', 'append', '-m', serializeDecisionRecord(forged), sha.bypass!]);
    expect(parseDecisionNote(serializeDecisionRecord(forged), sha.bypass!).problems).toEqual([]);

    const { code, report } = await audit(dir, ['--verify']);
    expect(code).toBe(1);
    expect(report.findings!.map((f) => [f.rule, f.commit])).toEqual([
      ['verify/record-invalid', sha.merge3],
      ['verify/not-approved', sha.bypass],
    ]);
    expect(report.findings![0]!.message).toMatch(/not JSON/);
    expect(report.findings![1]!.message).toMatch(/no approval as manager, owner/);
  });

  it('on a shallow clone says what it cannot see, and still verifies what it can', async () => {
    const dir = await auditorClone('shallow', { depth: 2 });
    const { code, report, err } = await audit(dir, ['--verify']);
    expect(report.coverage.shallow?.message).toMatch(/shallow.*git fetch --unshallow/);
    expect(err).toMatch(/this clone is shallow/);
    expect(report.grants.find((g) => g.file === DEV_DB)!.events.map((e) => e.type)).toEqual(['provisioned', 'expired', 'present', 'provisioned']);
    expect(report.findings!.map((f) => [f.rule, f.commit])).toEqual([['verify/no-record', sha.bypass]]);
    expect(code).toBe(1);
    const md = await runCli(['audit', '--now', '2026-11-13T00:00:00Z'], dir);
    expect(md.out).toContain('> **Shallow clone.**');
  });

  it('tells the auditor when the clone has no decision notes', async () => {
    const dir = await auditorClone('no-notes', { notes: false });
    const { report, err } = await audit(dir);
    expect(report.coverage.notesMissing).toMatch(/git fetch origin refs\/notes\/grantops:refs\/notes\/grantops/);
    expect(err).toMatch(/no decision notes/);
    expect(report.summary.unrecordedChanges).toHaveLength(4);
  });
});
