// The organisation bench/apply.mjs and bench/reconcile.mjs apply to moto: 1,000 people holding 5,000
// grants across 20 resources (managed policies, groups, inline policies), and the account as an earlier
// apply left it. Not a test.
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { AddUserToGroupCommand, AttachUserPolicyCommand, CreateGroupCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AwsIamProvider } from '../lib/adapters/aws/aws-iam-provider.js';
import { countIamCalls } from '../lib/adapters/aws/count-calls.js';
import { createIamClient } from '../lib/adapters/aws/iam-client.js';
import { runBounded } from '../lib/adapters/aws/run-bounded.js';
import { applyAccess } from '../lib/usecases/apply.js';

export const PEOPLE = 1000;
export const GRANTS_PER_PERSON = 5;
export const ACCOUNT_ID = '111122223333';
export const NOW = new Date('2026-11-23T12:00:00Z');
export const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

const POLICIES = ['ReadOnlyAccess', 'AmazonS3ReadOnlyAccess', 'AmazonEC2ReadOnlyAccess', 'AmazonRDSReadOnlyAccess', 'AmazonDynamoDBReadOnlyAccess', 'CloudWatchReadOnlyAccess', 'AmazonSQSReadOnlyAccess', 'AmazonSNSReadOnlyAccess', 'IAMReadOnlyAccess', 'AWSCodeCommitReadOnly'];
const GROUPS = ['platform', 'data', 'support', 'billing-view', 'oncall', 'release'];
const INLINE = ['tickets', 'queues', 'logs', 'metrics'];
export const RESOURCES = [
  ...POLICIES.map((name, i) => ({ id: `policy-${i}`, grants: `{ managedPolicy: "arn:aws:iam::aws:policy/${name}" }`, kind: 'policy', target: `arn:aws:iam::aws:policy/${name}` })),
  ...GROUPS.map((name) => ({ id: `group-${name}`, grants: `{ group: ${name} }`, kind: 'group', target: name })),
  ...INLINE.map((name) => ({ id: `inline-${name}`, grants: `{ inlinePolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: ["${name}:Get*"], Resource: "*" }] } }`, kind: 'inline', target: `grantops-inline-${name}`, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: [`${name}:Get*`], Resource: '*' }] } })),
];

/** Person i holds resources i, i+4, i+8, ... (mod 20): a mix of policies, groups and inline policies. */
export const resourcesOf = (i) => Array.from({ length: GRANTS_PER_PERSON }, (_, k) => RESOURCES[(i + k * 4) % RESOURCES.length]);

function findMotoServer() {
  const executable = (p) => { try { accessSync(p, constants.X_OK); return true; } catch { return false; } };
  if (process.env.MOTO_SERVER) return process.env.MOTO_SERVER;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && executable(join(dir, 'moto_server'))) return join(dir, 'moto_server');
  try { return execFileSync('pyenv', ['which', 'moto_server'], { encoding: 'utf8' }).trim(); } catch { throw new Error('moto_server is missing: install moto[server] or set MOTO_SERVER'); }
}

/**
 * moto on a free port. `multiAccount`: every service keyed by the signing credentials' account (an assumed
 * role's session lands in the role's account) instead of one fixed account; `managedPolicies: false`
 * skips loading AWS's managed policies into each account's IAM.
 */
export async function startMoto({ multiAccount = false, managedPolicies = true } = {}) {
  const port = await new Promise((resolve) => { const s = createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
  const child = spawn(findMotoServer(), ['-H', '127.0.0.1', '-p', String(port)], { env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: String(managedPolicies), ...(multiAccount ? {} : { MOTO_ACCOUNT_ID: ACCOUNT_ID }) }, stdio: 'ignore', detached: true });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(`${endpoint}/moto-api/data.json`)).ok) break; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { endpoint, stop: async () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { child.kill(); } await exited; } };
}

export function writeOrg(root) {
  const dir = join(root, 'access');
  mkdirSync(join(dir, 'resources', 'aws-prod'), { recursive: true });
  writeFileSync(join(dir, 'grantops.yaml'), `org: Bench\nowners: [p0]\nsensitivity:\n  none: { approvers: [], maxAccess: 90d, approvalTtl: 365d }\nsystems:\n  aws-prod: { type: aws, accountId: "${ACCOUNT_ID}" }\n`);
  writeFileSync(join(dir, 'people.yaml'), Array.from({ length: PEOPLE }, (_, i) => `- { login: p${i}, name: Person ${i}, aws: { user: user-${i} } }`).join('\n') + '\n');
  for (const r of RESOURCES) writeFileSync(join(dir, 'resources', 'aws-prod', `${r.id}.yaml`), `id: ${r.id}\nsystem: aws-prod\nsensitivity: none\nowners: [p0]\ngrants: ${r.grants}\n`);
  for (let i = 0; i < PEOPLE; i++) {
    mkdirSync(join(dir, 'grants', `p${i}`), { recursive: true });
    for (const r of resourcesOf(i)) writeGrant(root, i, r.id, 'active');
  }
}

export function writeGrant(root, i, resource, status) {
  writeFileSync(join(root, 'access', 'grants', `p${i}`, `${resource}.yaml`), `user: p${i}\nresource: ${resource}\nreason: bench\nexpires: 2026-12-20T00:00:00Z\nstatus: ${status}\n`);
}

/** The account as it would be after an earlier apply: users, groups, and every grant's access in place. */
export async function seedAccount(endpoint) {
  const client = new IAMClient({ region: 'us-east-1', endpoint, credentials: CREDENTIALS });
  for (const GroupName of GROUPS) await client.send(new CreateGroupCommand({ GroupName }));
  await runBounded(Array.from({ length: PEOPLE }, (_, i) => i), 8, async (i) => {
    const UserName = `user-${i}`;
    await client.send(new CreateUserCommand({ UserName }));
    for (const r of resourcesOf(i)) {
      if (r.kind === 'policy') await client.send(new AttachUserPolicyCommand({ UserName, PolicyArn: r.target }));
      if (r.kind === 'group') await client.send(new AddUserToGroupCommand({ UserName, GroupName: r.target }));
      if (r.kind === 'inline') await client.send(new PutUserPolicyCommand({ UserName, PolicyName: r.target, PolicyDocument: JSON.stringify(r.document) }));
    }
  });
  client.destroy();
}


/** One `applyAccess` with the aws provider against `endpoint`, its IAM calls counted and its wall time taken. */
export async function applyCounted(root, endpoint, history, label) {
  let counts;
  const provider = new AwsIamProvider({
    clientFor: (system) => {
      const client = createIamClient(system, { AWS_ENDPOINT_URL_IAM: endpoint }, { credentials: CREDENTIALS });
      counts = countIamCalls(client);
      return client;
    },
  });
  const started = performance.now();
  const report = await applyAccess({ root, dir: 'access', provider, history, now: NOW });
  const ms = performance.now() - started;
  if (!report.ok) throw new Error(`${label}: apply failed: ${JSON.stringify(report.diagnostics.slice(0, 3))} ${report.results.filter((r) => r.status === 'failed').map((r) => r.error).slice(0, 3)}`);
  return { label, operations: report.results.length, mutating: counts.mutating(), reads: counts.reads(), ms, byCommand: Object.fromEntries(counts.byCommand) };
}
