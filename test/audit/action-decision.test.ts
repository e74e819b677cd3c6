import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gitDecisionRecorder, run, type ActionIo } from '../../src/action/run.js';
import type { AuditReport } from '../../src/core/audit/audit-report.js';
import type { AccountSnapshot } from '../../src/core/iam/account-snapshot.js';
import { buildDecisionRecord, parseDecisionNote, serializeDecisionRecord } from '../../src/core/decision-record.js';
import { FakeGitHub, GRANTOPS_APP_ID } from '../action/fake-github.js';
import { runCli } from '../helpers/cli.js';
import { account } from '../helpers/iam-account.js';
import { ORG, PEOPLE, RESOURCES, grantYaml } from '../helpers/repo.js';

/*
 * The Action applying a merged pull request records its decision: a real clone pushing to a bare remote,
 * the provenance endpoints of the stand-in GitHub, and a small local server for the pull request and its
 * reviews. An auditor's clone then verifies the decision with `grantops audit --verify`.
 */
const execFileAsync = promisify(execFile);
const GRANT = 'access/grants/dev/prod-db.yaml';
const POLICY = 'arn:aws:iam::aws:policy/AmazonRDSFullAccess';
const NOTES_KEY = 'apply-workflow-notes-key-0123456789abcdef';

let tmp: string;
let remote: string;
let work: string;
let github: FakeGitHub;
let pullsServer: Server;
let pullsUrl: string;
let apiUrl: string;
const pullRequests = new Map<number, { pull: unknown; reviews: unknown[] }>();
const seen: string[] = [];

async function git(dir: string, args: string[], at = '2026-11-23T10:00:00Z'): Promise<string> {
  const env = { PATH: process.env.PATH ?? '', HOME: tmp, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@test.example', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@test.example', GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at };
  return (await execFileAsync('git', args, { cwd: dir, env })).stdout.trim();
}

function write(files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), content);
  }
}

class SilentIo implements ActionIo {
  infos: string[] = [];
  failed?: string;
  info(message: string) { this.infos.push(message); }
  warning(_message?: string) {}
  error() {}
  setOutput() {}
  async writeSummary() {}
  setFailed(message: string) { this.failed = message; }
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'grantops-action-notes-'));
  remote = join(tmp, 'remote.git');
  work = join(tmp, 'work');
  await execFileAsync('git', ['init', '-q', '--bare', '-b', 'main', remote]);
  await execFileAsync('git', ['init', '-q', '-b', 'main', work]);
  await git(work, ['remote', 'add', 'origin', remote]);
  github = new FakeGitHub();
  pullsServer = createServer((req, res) => {
    seen.push(req.url ?? '');
    const match = /^\/repos\/vandelay\/access\/pulls\/(\d+)(\/reviews)?(\?.*)?$/.exec(req.url ?? '');
    const entry = match ? pullRequests.get(Number(match[1])) : undefined;
    res.writeHead(entry ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(entry ? (match![2] ? entry.reviews : entry.pull) : { message: 'Not Found' }));
  });
  await new Promise<void>((resolve) => pullsServer.listen(0, '127.0.0.1', resolve));
  pullsUrl = `http://127.0.0.1:${(pullsServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await github.stop();
  await new Promise<void>((resolve) => pullsServer.close(() => resolve()));
  rmSync(tmp, { recursive: true, force: true });
});

it('the Action records the decision of an applied merge, and an auditor verifies it', async () => {
  write({ 'access/grantops.yaml': ORG, 'access/people.yaml': PEOPLE, ...Object.fromEntries(Object.entries(RESOURCES).map(([id, text]) => [`access/resources/aws-prod/${id}.yaml`, text])) });
  await git(work, ['add', '-A']);
  await git(work, ['commit', '-q', '-m', 'rules'], '2026-11-20T09:00:00Z');
  const before = await git(work, ['rev-parse', 'HEAD']);
  await git(work, ['checkout', '-q', '-b', 'request']);
  write({ [GRANT]: grantYaml({ user: 'dev', resource: 'prod-db', reason: 'debug OPS-1', expires: '2026-11-28T00:00:00Z', approvalExpires: '2027-01-10T00:00:00Z', status: 'active' }) });
  await git(work, ['add', '-A']);
  await git(work, ['commit', '-q', '-m', 'Request prod-db'], '2026-11-23T09:00:00Z');
  const head = await git(work, ['rev-parse', 'HEAD']);
  await git(work, ['checkout', '-q', 'main']);
  await git(work, ['merge', '-q', '--no-ff', 'request', '-m', 'Merge pull request #1 from vandelay/request'], '2026-11-23T11:00:00Z');
  const merge = await git(work, ['rev-parse', 'HEAD']);
  await git(work, ['push', '-q', 'origin', 'main']);

  github.addPull({ number: 1, commits: [head, merge], headSha: head }, [{ conclusion: 'success' }]);
  pullRequests.set(1, {
    pull: { number: 1, html_url: 'https://github.example/vandelay/access/pull/1', user: { login: 'dev' }, head: { sha: head }, base: { sha: before }, merge_commit_sha: merge, merged_by: { login: 'mgr' } },
    reviews: [
      { user: { login: 'mgr', type: 'User' }, state: 'APPROVED', commit_id: head, submitted_at: '2026-11-23T10:00:00Z' },
      { user: { login: 'res-owner', type: 'User' }, state: 'APPROVED', commit_id: head, submitted_at: '2026-11-23T10:30:00Z' },
    ],
  });
  apiUrl = await github.start();
  const state: AccountSnapshot = account({ dev: {} });
  writeFileSync(join(tmp, 'state.json'), JSON.stringify(state));
  const eventPath = join(tmp, 'event.json');
  writeFileSync(eventPath, JSON.stringify({ ref: 'refs/heads/main', before, after: merge, repository: { full_name: 'vandelay/access' } }));
  const recorder = gitDecisionRecorder();
  const io = new SilentIo();

  const report = await run({
    readInputs: () => ({ command: 'apply', dir: 'access', provider: 'file', state: [join(tmp, 'state.json')], dryRun: false, githubToken: 'gh-token', appId: GRANTOPS_APP_ID, notesKey: NOTES_KEY }),
    io,
    env: { workspace: work, eventName: 'push', eventPath, repository: 'vandelay/access', apiUrl, vars: {} },
    now: () => new Date('2026-11-23T11:01:00Z'),
    // The same recorder the Action's entry point uses, pointed at the pull request server.
    recordDecisions: (push) => recorder({ ...push, apiUrl: pullsUrl }),
  });

  expect(io.failed).toBeUndefined();
  expect(report.ok).toBe(true);
  expect(report.notes).toEqual([expect.stringMatching(/^Decision recorded on [0-9a-f]{7} \(refs\/notes\/grantops\) for pull request #1: 1 grant change\(s\), 1 IAM operation\(s\)\.$/)]);
  expect(seen.sort()).toEqual(['/repos/vandelay/access/pulls/1', '/repos/vandelay/access/pulls/1/reviews?per_page=100']);

  // The note reached the remote, on the merge commit, naming who approved in which role.
  const note = (await execFileAsync('git', ['notes', '--ref=refs/notes/grantops', 'show', merge], { cwd: remote })).stdout;
  const [record] = parseDecisionNote(note, merge).records;
  expect(record!.mac).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
  expect(parseDecisionNote(note, merge, { key: NOTES_KEY }).problems).toEqual([]);
  expect(record).toMatchObject({
    kind: 'apply',
    commit: merge,
    rulesSha: before,
    pullRequest: { number: 1, author: 'dev', headSha: head, mergedBy: 'mgr' },
    grants: [{ file: GRANT, change: 'new', status: 'approved', approvals: [{ role: 'manager', by: 'mgr' }, { role: 'owner', by: 'res-owner' }] }],
    operations: [{ action: 'attach-user-policy', principal: 'dev', target: POLICY, grant: GRANT, status: 'done', at: '2026-11-23T11:01:00.000Z' }],
  });
  expect(JSON.parse(readFileSync(join(tmp, 'state.json'), 'utf8')).UserDetailList[0].AttachedManagedPolicies).toEqual([{ PolicyArn: POLICY, PolicyName: 'AmazonRDSFullAccess' }]);

  const auditor = join(tmp, 'auditor');
  await execFileAsync('git', ['clone', '-q', `file://${remote}`, auditor]);
  await git(auditor, ['fetch', '-q', 'origin', 'refs/notes/grantops:refs/notes/grantops']);
  writeFileSync(join(tmp, 'notes.key'), `${NOTES_KEY}\n`);
  const verified = await runCli(['audit', '--verify', '--format', 'json', '--now', '2026-11-23T12:00:00Z', '--notes-key-file', join(tmp, 'notes.key')], auditor);
  expect(verified.code).toBe(0);
  const audit = JSON.parse(verified.out) as AuditReport;
  expect(audit.findings).toEqual([]);
  expect(audit.grants[0]!.events.map((e) => e.type)).toEqual(['requested', 'approved', 'approved', 'merged', 'provisioned']);

  // A scheduled run in a fresh clone: the note, fetched from the remote, confirms the merge; GitHub is not asked.
  const asked = github.requests.length;
  expect(asked).toBeGreaterThan(0);
  const fresh = join(tmp, 'scheduled');
  await execFileAsync('git', ['clone', '-q', `file://${remote}`, fresh]);
  const scheduledIo = new SilentIo();
  const scheduled = await run({
    readInputs: () => ({ command: 'apply', dir: 'access', provider: 'file', state: [join(tmp, 'state.json')], dryRun: false, githubToken: 'gh-token', appId: GRANTOPS_APP_ID, notesKey: NOTES_KEY }),
    io: scheduledIo,
    env: { workspace: fresh, eventName: 'schedule', ref: 'refs/heads/main', repository: 'vandelay/access', apiUrl, vars: {} },
    now: () => new Date('2026-11-23T12:00:00Z'),
    recordDecisions: (push) => recorder({ ...push, apiUrl: pullsUrl }),
  });
  expect(scheduledIo.failed).toBeUndefined();
  expect(scheduled.provenance?.files.find((f) => f.path === GRANT)?.confirmedBy).toEqual({ commit: merge, by: 'note', pullRequest: 1 });
  expect(github.requests.length).toBe(asked);
  expect(scheduled.rows).toEqual([]);
});

it('a note forged by anybody with push access confirms nothing: the Action withholds the change, and audit --verify reports it', async () => {
  // An attacker with push access commits a grant straight to main and writes a well-formed record for it.
  write({ 'access/grants/dev/logs-read.yaml': grantYaml({ user: 'dev', resource: 'logs-read', reason: 'sneak', expires: '2026-11-28T00:00:00Z', status: 'active' }) });
  await git(work, ['add', '-A']);
  await git(work, ['commit', '-q', '-m', 'sneak logs-read'], '2026-11-23T13:00:00Z');
  const sneak = await git(work, ['rev-parse', 'HEAD']);
  const forged = buildDecisionRecord({
    kind: 'apply',
    commit: sneak,
    recordedAt: new Date('2026-11-23T13:01:00Z'),
    dir: 'access',
    rulesSha: sneak,
    pullRequest: { number: 1, author: 'dev', headSha: sneak, baseSha: sneak, reviews: [{ reviewer: 'mgr', state: 'APPROVED', commitSha: sneak, submittedAt: '2026-11-23T12:59:00Z' }] },
    grants: [{ file: 'access/grants/dev/logs-read.yaml', user: 'dev', resource: 'logs-read', change: 'new', status: 'approved', approvals: [{ role: 'manager', by: 'mgr' }] }],
    operations: [],
  });
  await git(work, ['notes', '--ref=refs/notes/grantops', 'add', '-m', serializeDecisionRecord(forged), sneak]);
  await git(work, ['push', '-q', 'origin', 'main', 'refs/notes/grantops']);

  const fresh = join(tmp, 'after-forgery');
  await execFileAsync('git', ['clone', '-q', `file://${remote}`, fresh]);
  const io = new WarningIo();
  const report = await run({
    readInputs: () => ({ command: 'apply', dir: 'access', provider: 'file', state: [join(tmp, 'state.json')], dryRun: true, githubToken: 'gh-token', appId: GRANTOPS_APP_ID, notesKey: NOTES_KEY }),
    io,
    env: { workspace: fresh, eventName: 'schedule', ref: 'refs/heads/main', repository: 'vandelay/access', apiUrl, vars: {} },
    now: () => new Date('2026-11-23T14:00:00Z'),
  });
  expect(report.provenance?.withheld).toEqual(['access/grants/dev/logs-read.yaml']);
  expect(io.warnings).toEqual([expect.stringMatching(new RegExp(`^the decision record on ${sneak.slice(0, 7)} .* carries no seal`))]);
  expect(io.failed).toMatch(/grant dev\/logs-read \(commit [0-9a-f]{7}\)/);
  expect(github.requests.map((r) => r.path)).toContain(`/repos/vandelay/access/commits/${sneak}/pulls`);

  const auditor = join(tmp, 'auditor-after-forgery');
  await execFileAsync('git', ['clone', '-q', `file://${remote}`, auditor]);
  await git(auditor, ['fetch', '-q', 'origin', 'refs/notes/grantops:refs/notes/grantops']);
  const keyed = await runCli(['audit', '--verify', '--format', 'json', '--now', '2026-11-23T14:00:00Z', '--notes-key-file', join(tmp, 'notes.key')], auditor);
  expect(keyed.code).toBe(1);
  const findings = (JSON.parse(keyed.out) as AuditReport).findings!;
  expect(findings).toEqual([expect.objectContaining({ rule: 'verify/record-invalid', commit: sneak, message: expect.stringMatching(/carries no seal/) })]);
  // Without the key the seal goes unchecked, and the audit says so.
  const keyless = await runCli(['audit', '--verify', '--format', 'json', '--now', '2026-11-23T14:00:00Z'], auditor);
  expect(keyless.out).not.toMatch(/carries no seal/);
  expect(keyless.err).toMatch(/seals were not checked \(no notes key/);
});

class WarningIo extends SilentIo {
  warnings: string[] = [];
  override warning(message: string) { this.warnings.push(message); }
}
