import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CreateGroupCommand, CreateUserCommand, DetachUserPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { GitGrantHistory } from '../../src/adapters/git/grant-history.js';
import { applyAccess } from '../../src/usecases/apply.js';
import { planAccess } from '../../src/usecases/plan.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../helpers/fault-proxy.js';
import { MOTO_CREDENTIALS as CREDENTIALS, startMoto, type Moto } from '../helpers/moto.js';
import { motoProvider } from '../helpers/moto-provider.js';
import { ORG } from '../helpers/repo.js';
import { seededRandom } from '../helpers/throttle-iam.js';
import { TestRepo } from '../github-server/test-repo.js';

// Faults injected by a real HTTP proxy of our own on 127.0.0.1 in front of moto (not a mocked client):
// IAM's Throttling and ConcurrentModification answers, 5xx, connections cut before the request and after
// it was applied. Backoff sleeps are instant here; the real pacing is measured in bench/retry-modes.mjs.
const NOW = new Date('2026-11-23T12:00:00Z');
const PEOPLE = 24;
const ALL_FAULTS: Fault[] = ['Throttling', 'ConcurrentModification', '5xx', 'drop', 'drop-after'];
const RESOURCES: Record<string, string> = {
  'db-read': 'grants: { managedPolicy: "arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess" }',
  'logs-read': 'grants: { group: log-readers }',
  tickets: 'grants: { inlinePolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: ["sqs:Receive*"], Resource: "*" }] } }',
};

function org(holding: (i: number) => string[]): Record<string, string> {
  const files: Record<string, string> = {
    'access/grantops.yaml': ORG,
    'access/people.yaml': ['- { login: owner, name: Owner, roles: [executive], aws: { user: owner } }', ...Array.from({ length: PEOPLE }, (_, i) => `- { login: p${i}, name: Person ${i}, manager: owner, aws: { user: u${i} } }`)].join('\n') + '\n',
  };
  for (const [id, grants] of Object.entries(RESOURCES)) files[`access/resources/aws-prod/${id}.yaml`] = `id: ${id}\nsystem: aws-prod\nsensitivity: none\nowners: [owner]\n${grants}\n`;
  for (let i = 0; i < PEOPLE; i++) {
    for (const r of holding(i)) files[`access/grants/p${i}/${r}.yaml`] = `user: p${i}\nresource: ${r}\nreason: work\nexpires: 2026-12-20T00:00:00Z\nstatus: active\n`;
  }
  return files;
}
/** Person i holds two of the three resources: 48 additions from an empty account. */
const twoEach = (i: number) => Object.keys(RESOURCES).filter((_, k) => k !== i % 3);

let moto: Moto;
let admin: IAMClient;
let repo: TestRepo;
let proxy: FaultProxy | undefined;

beforeAll(async () => {
  moto = await startMoto();
  admin = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: CREDENTIALS });
});
afterAll(async () => {
  admin?.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  await admin.send(new CreateGroupCommand({ GroupName: 'log-readers' }));
  for (let i = 0; i < PEOPLE; i++) await admin.send(new CreateUserCommand({ UserName: `u${i}` }));
  repo = await TestRepo.create();
  await repo.commit(org(twoEach), 'grants');
});
afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await repo.remove();
});

const options = (endpoint: string) => ({ root: repo.dir, dir: 'access', provider: motoProvider(endpoint).provider, history: new GitGrantHistory(repo.dir), now: NOW });
/** What is left to do, asked of moto directly (no faults). */
const remaining = async () => (await planAccess(options(moto.endpoint))).plan.operations;

/** Nothing applied twice: a mutation the emulator carried out is sent again only when its answer was lost. */
function expectNothingAppliedTwice(p: FaultProxy) {
  const lost = new Map<string, number>();
  for (const r of p.requests) if (r.fault === 'drop-after') lost.set(r.key, (lost.get(r.key) ?? 0) + 1);
  const twice = [...p.applied()].filter(([key, n]) => n > 1 + (lost.get(key) ?? 0));
  expect(twice).toEqual([]);
}

describe('apply under injected faults (moto behind a fault-injecting proxy)', () => {
  it.each([
    ['every fault at 20%', ALL_FAULTS, 11],
    ['Throttling and ConcurrentModification at 20%', ['Throttling', 'ConcurrentModification'] as Fault[], 12],
    ['5xx and dropped connections at 20%', ['5xx', 'drop', 'drop-after'] as Fault[], 13],
  ])('%s: converges in one run or the next, nothing applied twice, nothing lost, retries reported', async (_name, faults, seed) => {
    proxy = await startFaultProxy(moto.endpoint, { rate: 0.2, faults, random: seededRandom(seed) });
    const first = await applyAccess(options(proxy.endpoint));
    expect(first.results).toHaveLength(PEOPLE * 2);
    if (!first.ok) await applyAccess(options(proxy.endpoint));
    expect(await remaining()).toEqual([]);
    expect(proxy.requests.filter((r) => r.fault).length).toBeGreaterThan(0);
    expect(first.retries.total).toBeGreaterThan(0);
    for (const fault of faults.filter((f) => f !== 'drop-after')) {
      if (proxy.requests.some((r) => r.fault === fault)) expect(Object.keys(first.retries.byReason)).toContain(fault === 'drop' ? 'connection' : fault);
    }
    expectNothingAppliedTwice(proxy);
    // Each of the 48 mutations was carried out (at least) once: nothing lost.
    expect([...proxy.applied().keys()].filter((k) => /^(AttachUserPolicy|AddUserToGroup|PutUserPolicy) /.test(k))).toHaveLength(PEOPLE * 2);
  });

  it('removals under faults: a removal whose answer was lost is done when the retry finds nothing to remove', async () => {
    await applyAccess(options(moto.endpoint));
    await repo.commit(Object.fromEntries(Array.from({ length: PEOPLE }, (_, i) => [`access/grants/p${i}/${twoEach(i)[0]}.yaml`, null])), 'everyone gives one grant up');
    proxy = await startFaultProxy(moto.endpoint, { rate: 0.3, faults: ['drop-after', 'ConcurrentModification'], random: seededRandom(5) });
    const run = await applyAccess(options(proxy.endpoint));
    expect(run.results.filter((r) => r.status !== 'done')).toEqual([]);
    expect(run.results).toHaveLength(PEOPLE);
    expect(proxy.requests.some((r) => r.fault === 'drop-after' && /^(Detach|Remove|Delete)/.test(r.action))).toBe(true);
    expect(await remaining()).toEqual([]);
  });
});

describe('a crash mid-apply', () => {
  const BIN = join(REPO_ROOT, 'bin', 'grantops.js');
  beforeAll(() => {
    // Jest's global set-up (test/setup/build-lib.mjs) builds lib/ from src/ once per run.
    expect(existsSync(join(REPO_ROOT, 'lib', 'cli.js'))).toBe(true);
  });

  it('is fixed by a rerun: the killed run left some operations done, the rerun does only the rest', async () => {
    proxy = await startFaultProxy(moto.endpoint, { rate: 0, faults: [], random: Math.random });
    const env = { ...process.env, NODE_OPTIONS: '', AWS_ENDPOINT_URL_IAM: proxy.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' };
    const child = spawn(process.execPath, [BIN, 'apply', '--provider', 'aws', '--now', NOW.toISOString()], { cwd: repo.dir, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `exit ${code}: ${stderr}`)));
    proxy.onApplied = () => {
      if (proxy!.applied().size >= 10) child.kill('SIGKILL');
    };
    expect(await exited).toBe('SIGKILL');
    // The killed process may have had calls in flight: they count as done by it once the emulator answered.
    await proxy.idle();
    const doneByCrashed = new Set(proxy.applied().keys());
    expect(doneByCrashed.size).toBeGreaterThanOrEqual(10);
    expect(doneByCrashed.size).toBeLessThan(PEOPLE * 2);

    const before = proxy.requests.length;
    // Asynchronously: the proxy answering the rerun lives in this process.
    const rerun = await new Promise<{ status: number | null; stdout: string }>((resolve) => {
      const again = spawn(process.execPath, [BIN, 'apply', '--provider', 'aws', '--now', NOW.toISOString(), '--format', 'json'], { cwd: repo.dir, env, stdio: ['ignore', 'pipe', 'ignore'] });
      let stdout = '';
      again.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      again.once('exit', (status) => resolve({ status, stdout }));
    });
    expect(rerun.status).toBe(0);
    const resent = proxy.requests.slice(before).filter((r) => doneByCrashed.has(r.key));
    expect(resent).toEqual([]);
    expect(JSON.parse(rerun.stdout).operations).toHaveLength(PEOPLE * 2 - doneByCrashed.size);
    expect(await remaining()).toEqual([]);
    // The account is as the repository says: every person holds exactly their two grants' access.
    await expect(admin.send(new DetachUserPolicyCommand({ UserName: 'u0', PolicyArn: 'arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess' }))).rejects.toThrow();
  });
});
