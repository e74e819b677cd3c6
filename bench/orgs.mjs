// Reconciles an AWS Organization against moto: 200 accounts (each its own system and connector role) and
// an Identity Center instance, 50 grants per account (40 IAM, 10 permission-set assignments), through a
// recording proxy. Prints, in one run: the mutating calls of a no-op and of 10 changes and its re-run,
// the reads per account and of Identity Center, the AssumeRole calls, and the wall time of reconciling
// all 200 accounts against reconciling one of them (`--system acct-000 --system sso`: what one job of
// the matrix workflow does), next to the emulator's own cost (the same requests sent again straight from
// a loop) and the time reading the access directory takes. `npm run bench:orgs` (builds lib/ first;
// needs moto_server like the tests); BENCH_ACCOUNTS=N for another size. Not a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListUsersCommand } from '@aws-sdk/client-iam';
import { AwsIamProvider } from '../lib/adapters/aws/aws-iam-provider.js';
import { readAccessDir } from '../lib/adapters/file/read-access-dir.js';
import { loadAccessRepo } from '../lib/core/load-access-repo.js';
import { applyAccess } from '../lib/usecases/apply.js';
import { startMoto } from './apply-org.mjs';
import { accountId, identityCenterOf, login, makeChanges, NOW, PERMISSION_SETS, PEOPLE, RUN_CREDENTIALS, seedOrganisation, sessionClients, systemOf, usersOf, writeOrganisation } from './org-accounts.mjs';
import { replay, startRecordingProxy } from './recording-proxy.mjs';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 200);
const CHANGES = 10;
/** Requests the replay keeps in flight: as many as systems grantops reads at once. */
const REPLAY_CONCURRENCY = 8;
const READ = /^(Get|List|Describe)/;
const STS = new Set(['AssumeRole', 'GetCallerIdentity']);

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const tally = (calls) => Object.fromEntries([...new Set(calls.map((c) => c.action))].sort().map((a) => [a, calls.filter((c) => c.action === a).length]));
const list = (counts) => Object.entries(counts).map(([a, n]) => `${a} ${n}`).join(', ');

/** One real `applyAccess` with the aws provider through the proxy: its calls, operations and wall time. */
async function reconcile(proxy, root, label, systems) {
  const provider = new AwsIamProvider({ env: { AWS_ENDPOINT_URL: proxy.endpoint }, clientConfig: { credentials: RUN_CREDENTIALS }, sessionName: 'grantops-bench-orgs' });
  await proxy.take();
  const started = performance.now();
  const report = await applyAccess({ root, dir: 'access', provider, history: null, now: NOW, ...(systems ? { systems } : {}) });
  const ms = performance.now() - started;
  const calls = await proxy.take();
  const failed = report.results.filter((r) => r.status === 'failed').map((r) => r.error);
  if (!report.ok) throw new Error(`${label}: apply failed: ${JSON.stringify(report.diagnostics.filter((d) => d.severity === 'error').slice(0, 3))} ${failed.slice(0, 3)}`);
  const mutating = calls.filter((c) => !READ.test(c.action) && !STS.has(c.action));
  return { label, ms, calls, operations: report.results.length, mutating: mutating.length, mutatingByAction: tally(mutating), reads: calls.filter((c) => READ.test(c.action) && !STS.has(c.action)) };
}

async function loadMs(root) {
  const started = performance.now();
  loadAccessRepo(await readAccessDir(root, 'access'), NOW);
  return performance.now() - started;
}

const root = mkdtempSync(join(tmpdir(), 'grantops-bench-orgs-'));
const moto = await startMoto({ multiAccount: true, managedPolicies: false });
const proxy = await startRecordingProxy(moto.endpoint);
try {
  const ic = await identityCenterOf(moto.endpoint);
  const grants = writeOrganisation(root, { accounts: ACCOUNTS, ...ic });
  let started = performance.now();
  const seeded = await seedOrganisation(moto.endpoint, { accounts: ACCOUNTS, ic });
  console.log(`seeded ${ACCOUNTS} accounts and ${seeded.assignments} assignments (${grants} grants, ${PEOPLE} people) in ${seconds(performance.now() - started)}`);

  // moto keys IAM by the signing session's account: two accounts' sessions see two different sets of users.
  const names = async (i) => {
    const { iam } = await sessionClients(moto.endpoint, accountId(i));
    const out = (await iam.send(new ListUsersCommand({}))).Users.map((u) => u.UserName).sort();
    iam.destroy();
    return out;
  };
  const [first, last] = await Promise.all([names(0), names(ACCOUNTS - 1)]);
  const separate = first.join() === usersOf(0).map(login).sort().join() && last.join() === usersOf(ACCOUNTS - 1).map(login).sort().join() && first.join() !== last.join();
  console.log(`separate IAM per account (sessions of two accounts' roles list their own 10 users): ${separate ? 'yes' : 'NO'}`);

  // Alternating, twice each; the second of each is reported (warm caches for both).
  const runs = { all: [], one: [] };
  for (let round = 0; round < 2; round++) {
    runs.one.push(await reconcile(proxy, root, 'one account', [systemOf(0), 'sso']));
    runs.all.push(await reconcile(proxy, root, `${ACCOUNTS} accounts`));
  }
  const all = runs.all[1];
  const single = runs.one[1];
  const emulatorAll = await replay(all.calls, moto.endpoint, REPLAY_CONCURRENCY);
  const emulatorOne = await replay(single.calls, moto.endpoint, REPLAY_CONCURRENCY);
  const load = await loadMs(root);

  await makeChanges(root, moto.endpoint, { accounts: ACCOUNTS, seeded });
  const changed = await reconcile(proxy, root, `${CHANGES} changes`);
  const rerun = await reconcile(proxy, root, 're-run');

  const iamReads = all.reads.filter((c) => c.service === 'iam');
  const sessions = new Map();
  for (const c of iamReads) sessions.set(c.accessKeyId, [...(sessions.get(c.accessKeyId) ?? []), c]);
  const profiles = new Set([...sessions.values()].map((calls) => list(tally(calls))));
  const icReads = all.reads.filter((c) => c.service === 'sso' || c.service === 'identitystore');
  const assumed = all.calls.filter((c) => c.action === 'AssumeRole');
  const roles = new Set(assumed.map((c) => new URLSearchParams(c.body).get('RoleArn')));
  const pairs = PERMISSION_SETS.length * ACCOUNTS;
  const fewest = Math.ceil(PEOPLE / 100) + 1 + PERMISSION_SETS.length + Math.min(pairs, PEOPLE);

  console.log(`\ngrantops apply against moto: ${ACCOUNTS} accounts + 1 Identity Center instance, ${grants} grants (${ACCOUNTS} x 50: 40 IAM, 10 assignments); load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log('run                  | operations | mutating calls | reads | AssumeRole | wall time');
  for (const r of [single, all, changed, rerun]) {
    console.log(`${r.label.padEnd(20)} | ${String(r.operations).padStart(10)} | ${String(r.mutating).padStart(14)} | ${String(r.reads.length).padStart(5)} | ${String(r.calls.filter((c) => c.action === 'AssumeRole').length).padStart(10)} | ${seconds(r.ms)}`);
  }
  console.log(`\nmutating calls: ${changed.mutating} for ${CHANGES} changes (${list(changed.mutatingByAction)}); ${all.mutating} on the no-op, ${rerun.mutating} on the re-run`);
  console.log(`IAM reads per account: ${[...profiles].join(' | ')} (${sessions.size} sessions, ${profiles.size === 1 ? 'all alike' : 'NOT alike'})`);
  console.log(`Identity Center reads, once for all accounts: ${list(tally(icReads))} = ${icReads.length} (fewest the API allows: ${Math.ceil(PEOPLE / 100)} ListUsers + 1 ListPermissionSets + ${PERMISSION_SETS.length} DescribePermissionSet + min(${pairs} pairs, ${PEOPLE} users) = ${fewest})`);
  console.log(`STS: ${assumed.length} AssumeRole for ${roles.size} roles, ${all.calls.filter((c) => c.action === 'GetCallerIdentity').length} GetCallerIdentity`);
  console.log(`\nwall time, ${ACCOUNTS} accounts against one (${systemOf(0)} and sso): ${seconds(all.ms)} / ${seconds(single.ms)} = ${(all.ms / single.ms).toFixed(1)}x`);
  console.log(`emulator's own cost (the same ${all.calls.length} and ${single.calls.length} requests sent again from a loop, ${REPLAY_CONCURRENCY} in flight): ${seconds(emulatorAll)} and ${seconds(emulatorOne)}`);
  console.log(`of each, reading and validating access/ (${grants} grants): ${seconds(load)}`);
  const budget = 3 * single.ms + emulatorAll;
  console.log(`target: ${seconds(all.ms)} <= 3 x ${seconds(single.ms)} + ${seconds(emulatorAll)} = ${seconds(budget)}: ratio ${(all.ms / budget).toFixed(2)} (<= 1)`);
  const own = (r, emulator) => r.ms - emulator - load;
  console.log(`beyond the emulator and reading access/: ${seconds(own(all, emulatorAll))} against ${seconds(own(single, emulatorOne))} for one account`);
  const pass = separate && all.mutating === 0 && changed.operations === CHANGES && changed.mutating === CHANGES && rerun.mutating === 0 && rerun.operations === 0
    && profiles.size === 1 && sessions.size === ACCOUNTS && icReads.length === fewest && roles.size === ACCOUNTS + 1 && assumed.length === ACCOUNTS + 1 && all.ms <= budget;
  console.log(pass ? 'targets met' : 'TARGETS MISSED');
  process.exitCode = pass ? 0 : 1;
} finally {
  await proxy.stop();
  await moto.stop();
  rmSync(root, { recursive: true, force: true });
}
