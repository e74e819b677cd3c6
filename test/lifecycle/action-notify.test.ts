import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { run, type ActionDeps, type ActionIo } from '../../src/action/run.js';
import type { ActionInputs } from '../../src/action/inputs.js';
import { createIamProvider } from '../../src/adapters/create-iam-provider.js';
import { verifyWebhookSignature } from '../../src/core/notify/webhook-signature.js';
import { startGitHubServer, type GitHubServer } from '../github-server/index.js';
import { issueUserToken } from '../github-server/user-tokens.js';
import { startHttpReceiver } from '../helpers/notify-servers.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';
import { grantFile, ORG_FILES, writeState } from './lifecycle-org.js';

/* The Action's runs tell people through the channels of grantops.yaml; a rerun of the job tells nobody twice. */
class RecordingIo implements ActionIo {
  infos: string[] = [];
  warnings: string[] = [];
  outputs: Record<string, string | number> = {};
  summary = '';
  failed?: string;
  info(message: string) { this.infos.push(message); }
  warning(message: string) { this.warnings.push(message); }
  error() {}
  setOutput(name: string, value: string | number) { this.outputs[name] = value; }
  async writeSummary(markdown: string) { this.summary += markdown; }
  setFailed(message: string) { this.failed = message; }
}

const NOW = new Date('2026-12-07T06:00:00Z');
const KEY = 'action-test-key';

describe('the Action notifies', () => {
  let server: GitHubServer;
  let fx: GitFixture;
  let hook: Awaited<ReturnType<typeof startHttpReceiver>>;
  let hookUp = true;

  beforeEach(async () => {
    hookUp = true;
    hook = await startHttpReceiver((request) => {
      if (!hookUp) return { status: 503 };
      const signed = { signature: request.headers['x-grantops-signature'] as string, timestamp: request.headers['x-grantops-timestamp'] as string };
      // The signature's timestamp is the sending machine's clock (a replay window is about real time), not the run's --now.
      return verifyWebhookSignature(request.body, signed, KEY, Math.floor(Date.now() / 1000)).valid ? { status: 200 } : { status: 401 };
    });
    server = await startGitHubServer();
    server.state.addInstallation(1, 'acme');
    fx = await createGitFixture({
      ...ORG_FILES,
      'access/grantops.yaml': `${ORG_FILES['access/grantops.yaml']}notifications:\n  channels:\n    siem: { type: webhook, url: "${hook.url}/hook", secret: { env: HOOK_KEY }, events: [all] }\n`,
      ...grantFile('dev', 'logs-read', '2026-12-07T00:00:00Z', '2027-01-15T00:00:00Z'),
      ...grantFile('dev2', 'logs-read', '2026-12-09T00:00:00Z', '2027-01-15T00:00:00Z'),
    });
    server.state.addRepository({ owner: 'acme', name: 'access', gitDir: fx.bare });
    await writeState(join(fx.root, 'state.json'), { 'dev.user': { groups: ['log-readers'] }, 'dev2.user': { groups: ['log-readers'] } });
  });
  afterEach(async () => {
    await server.close();
    await fx.cleanup();
    await hook.close();
  });

  function deps(io: RecordingIo, workspace: string, inputs: Partial<ActionInputs> = {}): Partial<ActionDeps> {
    return {
      readInputs: () => ({ command: 'expire', dir: 'access', provider: 'file', state: [join(fx.root, 'state.json')], dryRun: false, githubToken: issueUserToken(server.state, 'github-actions[bot]', 1), ...inputs }),
      io,
      env: { workspace, eventName: 'schedule', repository: 'acme/access', apiUrl: server.apiUrl, vars: { HOOK_KEY: KEY } },
      now: () => NOW,
      createProvider: (i) => createIamProvider({ provider: 'file', state: i.state, cwd: workspace }),
    };
  }

  async function freshClone(name: string): Promise<string> {
    const dir = join(fx.root, name);
    await simpleGit().clone(fx.bare, dir);
    await simpleGit(dir).addConfig('user.name', 'Runner').addConfig('user.email', 'runner@example.com');
    return dir;
  }

  it('expire tells of access removed and access ending soon, signed; the job rerun on a fresh runner tells nobody again', async () => {
    const io = new RecordingIo();
    const report = await run(deps(io, fx.clone));
    expect(report.ok).toBe(true);
    const kinds = hook.requests.map((r) => JSON.parse(r.body).event).map((e: { kind: string; grant: { user: string } }) => `${e.kind} ${e.grant.user}`);
    expect(kinds.sort()).toEqual(['access-ending-soon dev2', 'access-revoked dev']);
    expect(io.outputs['notifications-failed']).toBe(0);
    expect(io.summary).toContain('### Notifications');
    expect(io.infos.filter((l) => l.startsWith('notified:'))).toHaveLength(2);
    const revoked = JSON.parse(hook.requests.find((r) => r.body.includes('access-revoked'))!.body);
    expect(revoked.event).toMatchObject({ reason: 'expired', repository: 'acme/access', operations: ['remove-user-from-group dev.user log-readers (access/grants/dev/logs-read.yaml)'] });

    const rerunIo = new RecordingIo();
    expect((await run(deps(rerunIo, await freshClone('rerun')))).ok).toBe(true);
    expect(hook.requests).toHaveLength(2);
    expect(rerunIo.infos.filter((l) => l.startsWith('not notified again'))).toHaveLength(2);
  });

  it('a receiver that is down is a warning and a count, never a failed job; the next run delivers', async () => {
    hookUp = false;
    const io = new RecordingIo();
    const report = await run(deps(io, fx.clone));
    expect(report.ok).toBe(true);
    expect(io.failed).toBeUndefined();
    expect(io.outputs['notifications-failed']).toBe(2);
    expect(io.warnings.join('\n')).toMatch(/notification failed: access-revoked to siem .* after 4 attempts: HTTP 503/);
    expect(io.summary).toContain('2 notifications could not be delivered');

    hookUp = true;
    const next = new RecordingIo();
    expect((await run(deps(next, fx.clone))).ok).toBe(true);
    expect(next.outputs['notifications-failed']).toBe(0);
    expect(hook.requests.filter((r) => r.body.includes('"access-ending-soon"'))).toHaveLength(5);
  }, 30_000);

  it('sends nothing with notify: false, or in a dry run', async () => {
    expect((await run(deps(new RecordingIo(), fx.clone, { notify: false }))).ok).toBe(true);
    expect((await run(deps(new RecordingIo(), fx.clone, { dryRun: true }))).ok).toBe(true);
    expect(hook.requests).toHaveLength(0);
  });
});
