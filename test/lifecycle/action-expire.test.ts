import { join } from 'node:path';
import { gitExpiryRecorder } from '../../src/action/run-expire.js';
import { run, type ActionDeps, type ActionIo, type AnnotationAt } from '../../src/action/run.js';
import { createIamProvider } from '../../src/adapters/create-iam-provider.js';
import type { ActionInputs } from '../../src/action/inputs.js';
import { buildDecisionRecord, serializeDecisionRecord } from '../../src/core/decision-record.js';
import { sealRecord } from '../../src/core/note-authentication.js';
import { startGitHubServer, type GitHubServer } from '../github-server/index.js';
import { issueUserToken } from '../github-server/user-tokens.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';
import { grantFile, ORG_FILES, readHoldings, S3_READ, S3_READ_POLICY, writeState } from './lifecycle-org.js';

/** The apply workflow's notes key, as an Actions secret would hold it. */
const NOTES_KEY = 'lifecycle-notes-key-0123456789abcdef0123';

class RecordingIo implements ActionIo {
  infos: string[] = [];
  errors: string[] = [];
  outputs: Record<string, string | number> = {};
  summary = '';
  failed?: string;
  info(message: string) { this.infos.push(message); }
  warning() {}
  error(message: string, _at?: AnnotationAt) { this.errors.push(message); }
  setOutput(name: string, value: string | number) { this.outputs[name] = value; }
  async writeSummary(markdown: string) { this.summary += markdown; }
  setFailed(message: string) { this.failed = message; }
}

describe('the GitHub Action, command: expire, on a real checkout', () => {
  let server: GitHubServer;
  let fx: GitFixture;

  beforeEach(async () => {
    server = await startGitHubServer();
    server.state.addInstallation(1, 'acme');
    fx = await createGitFixture({ ...ORG_FILES, ...grantFile('dev', 'logs-read', '2026-12-07T00:00:00Z', '2027-01-15T00:00:00Z') });
    server.state.addRepository({ owner: 'acme', name: 'access', gitDir: fx.bare });
    await writeState(join(fx.root, 'state.json'), { 'dev.user': { groups: ['log-readers'] } });
  });
  afterEach(async () => {
    await server.close();
    await fx.cleanup();
  });

  function deps(io: RecordingIo, inputs: Partial<ActionInputs> = {}): Partial<ActionDeps> {
    const token = issueUserToken(server.state, 'github-actions[bot]', 1);
    return {
      readInputs: () => ({ command: 'expire', dir: 'access', provider: 'file', state: [join(fx.root, 'state.json')], dryRun: false, githubToken: token, ...inputs }),
      io,
      env: { workspace: fx.clone, eventName: 'schedule', repository: 'acme/access', apiUrl: server.apiUrl, vars: {} },
      now: () => new Date('2026-12-07T06:00:00Z'),
      createProvider: (i) => createIamProvider({ provider: 'file', state: i.state, cwd: fx.clone }),
    };
  }

  it('removes the access, pushes grantops/revoke and opens the pull request; a second scheduled run changes nothing', async () => {
    const io = new RecordingIo();
    const report = await run(deps(io));
    expect(io.failed).toBeUndefined();
    expect(report.ok).toBe(true);
    expect(io.outputs).toMatchObject({ applied: 1, failed: 0 });
    expect(io.infos).toContain('applied remove-user-from-group dev.user log-readers (access/grants/dev/logs-read.yaml)');
    expect(await readHoldings(join(fx.root, 'state.json'))).toMatchObject({ 'dev.user': { groups: [] } });
    expect(await fx.showRemote('grantops/revoke', 'access/grants/dev/logs-read.yaml')).toContain('status: expired');
    const repo = server.state.repository('acme', 'access');
    expect([...repo.pulls.values()].map((p) => [p.author, p.head.ref, p.base.ref])).toEqual([['github-actions[bot]', 'grantops/revoke', 'main']]);
    expect(io.summary).toContain('revocation pull request #1 opened');

    const again = new RecordingIo();
    expect((await run(deps(again))).ok).toBe(true);
    expect(again.outputs).toMatchObject({ applied: 0 });
    expect(repo.pulls.size).toBe(1);
  });

  it('records the run as an expire decision note on the expired commit, pushed to the remote', async () => {
    const io = new RecordingIo();
    const base = (await fx.git.revparse(['HEAD'])).trim();
    const report = await run({ ...deps(io), recordExpiry: gitExpiryRecorder() });
    expect(report.ok).toBe(true);
    const note = await fx.showRemote('refs/notes/grantops', base);
    const record = JSON.parse(note!.trim().split('\n').pop()!);
    expect(record).toMatchObject({ kind: 'expire', commit: base, grants: [{ file: 'access/grants/dev/logs-read.yaml', change: 'expiry', approvals: [] }], operations: [{ action: 'remove-user-from-group', status: 'done' }] });
    expect(io.summary).toContain('Decision recorded on');
  });

  it('marks the expiry notice of an unused grant from the state\'s usage facts', async () => {
    await fx.commitOnMain(grantFile('dev2', 's3-read', '2026-12-09T00:00:00Z', '2027-01-15T00:00:00Z'), 'dev2 asks for s3-read');
    await writeState(join(fx.root, 'state.json'), { 'dev.user': { groups: ['log-readers'] }, 'dev2.user': { policies: [S3_READ] } }, {
      policies: [S3_READ_POLICY],
      usage: { 'dev2.user': { ServiceLastAccessed: [{ ServiceNamespace: 's3', LastAuthenticated: '2026-08-01T00:00:00Z' }] } },
    });
    const io = new RecordingIo();
    expect((await run(deps(io))).ok).toBe(true);
    const notices = [...server.state.repository('acme', 'access').issues.values()];
    expect(notices.map((i) => i.assignees)).toEqual([['dev2']]);
    expect(notices[0]!.body).toContain('**Not used in 128 days**: `dev2.user` last used s3 128 days ago (access unused for 90 days is marked');
  });

  it('with dry-run, reports and changes nothing', async () => {
    const io = new RecordingIo();
    const report = await run(deps(io, { dryRun: true }));
    expect(report.ok).toBe(true);
    expect(io.outputs).toMatchObject({ operations: 1, applied: 0 });
    expect(await readHoldings(join(fx.root, 'state.json'))).toMatchObject({ 'dev.user': { groups: ['log-readers'] } });
    expect(server.state.repository('acme', 'access').pulls.size).toBe(0);
  });
});

describe('the GitHub Action, command: apply, with a manual resource', () => {
  let server: GitHubServer;
  let fx: GitFixture;
  afterEach(async () => {
    await server.close();
    await fx.cleanup();
  });

  it('opens exactly one issue for the pending grant, assigned to the owners, and never calls IAM for it', async () => {
    server = await startGitHubServer();
    server.state.addInstallation(1, 'acme');
    fx = await createGitFixture(ORG_FILES);
    const grant = grantFile('dev', 'billing-admin', '2026-12-20T00:00:00Z', '2027-01-15T00:00:00Z');
    const merged = await fx.commitOnMain(grant, 'Grant billing-admin to dev (#4)');
    // What the apply run after that merge recorded: the Action trusts the note and asks GitHub nothing.
    const record = buildDecisionRecord({
      kind: 'apply',
      commit: merged,
      recordedAt: new Date('2026-12-06T06:00:00Z'),
      dir: 'access',
      rulesSha: merged,
      pullRequest: { number: 4, author: 'dev', headSha: merged, baseSha: merged, reviews: [] },
      grants: Object.keys(grant).map((file) => ({ file, user: 'dev', resource: 'billing-admin', change: 'new' as const, status: 'approved' as const, approvals: [] })),
      operations: [],
    });
    await fx.git.raw(['notes', '--ref=refs/notes/grantops', 'append', '-m', serializeDecisionRecord(sealRecord(record, NOTES_KEY)), merged]);
    const repo = server.state.addRepository({ owner: 'acme', name: 'access', gitDir: fx.bare });
    const state = join(fx.root, 'state.json');
    await writeState(state, {});
    for (let i = 0; i < 2; i++) {
      const io = new RecordingIo();
      const report = await run({
        readInputs: () => ({ command: 'apply', dir: 'access', provider: 'file', state: [state], dryRun: false, githubToken: issueUserToken(server.state, 'github-actions[bot]', 1), appId: server.state.app.id, notesKey: NOTES_KEY }),
        io,
        env: { workspace: fx.clone, eventName: 'workflow_dispatch', ref: 'refs/heads/main', repository: 'acme/access', apiUrl: server.apiUrl, vars: {} },
        now: () => new Date('2026-12-07T06:00:00Z'),
        createProvider: (inputs) => createIamProvider({ provider: 'file', state: inputs.state, cwd: fx.clone }),
      });
      expect(report.ok).toBe(true);
      expect(report.provenance?.withheld).toEqual([]);
      expect(io.outputs).toMatchObject({ manual: 1, applied: 0 });
      expect(io.summary).toMatch(i === 0 ? /issue #1 opened/ : /issue #1 already exists/);
    }
    expect([...repo.issues.values()].map((issue) => [issue.title, issue.assignees])).toEqual([['Grant billing-admin to dev.user (manual provisioning)', ['finance', 'owner']]]);
    expect(repo.issues.get(1)!.body).toContain("aws iam add-user-to-group --user-name 'dev.user' --group-name 'billing-admins'");
    expect(await readHoldings(state)).toMatchObject({ 'dev.user': { groups: [] } });
  });
});
