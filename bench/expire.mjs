// Times the scan at the heart of `grantops expire` over 100,000 grants: finding the lapsed ones (and
// deciding, for each, keep-as-expired or delete) and the ones expiring within warnBefore. Target: the
// scan under 2 s. For scale, the same run measures a bare loop that only reads each grant's expiry
// (the least any scan must do) and the text edits the revocation commit makes for the lapsed grants.
// Not a test: `npm run bench:expire`.
import { performance } from 'node:perf_hooks';
import { editGrantYaml, writeGrantYaml } from '../lib/core/edit-grant-yaml.js';
import { planExpiry } from '../lib/core/expiry/plan-expiry.js';
import { buildRevocationPullRequest } from '../lib/core/revocation-pr.js';

const GRANTS = 100_000;
const RUNS = 7;
const TARGET_MS = 2000;
const NOW = new Date('2026-12-07T06:00:00Z');
const DAY = 86_400_000;

// A fixed-seed generator, so every run scans the same grants.
function randomFrom(seed) {
  // mulberry32: consecutive draws are independent enough for the mix below to come out as stated.
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');

function generateRepo() {
  const random = randomFrom(0xe4b1e);
  const grants = new Map();
  for (let i = 0; i < GRANTS; i++) {
    const user = `user-${String(i % 20_000).padStart(5, '0')}`;
    const resource = `res-${String(Math.floor(i / 20_000) * 97 + (i % 97)).padStart(4, '0')}`;
    const roll = random();
    // 10% lapsed, 5% already expired (half of them with their approval lapsed too), 3% expiring soon, the rest live.
    const expires = roll < 0.1 ? NOW.getTime() - random() * 20 * DAY : roll < 0.15 ? NOW.getTime() - 30 * DAY : roll < 0.18 ? NOW.getTime() + random() * 3 * DAY : NOW.getTime() + (3 + random() * 27) * DAY;
    const approvalExpires = expires + (random() < 0.5 ? -5 : 40) * DAY;
    const value = { user, resource, reason: `Ticket OPS-${i}`, expires: iso(expires), approvalExpires: iso(approvalExpires), status: roll >= 0.1 && roll < 0.15 ? 'expired' : 'active' };
    grants.set(`access/grants/${user}/${resource}.yaml`, { file: `access/grants/${user}/${resource}.yaml`, value });
  }
  return { grants, org: { file: 'access/grantops.yaml', value: { expiry: { warnBefore: '3d' } } } };
}

async function timed(fn) {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

const repo = generateRepo();
console.log(`grants: ${repo.grants.size.toLocaleString('en')} (active, expired, lapsed and expiring mixed; warnBefore 3d)`);

// Warm up (JIT), then alternate so drift hits both alike.
planExpiry(repo, NOW);
const scans = [];
const loops = [];
let plan;
for (let i = 0; i < RUNS; i++) {
  const [scan, result] = await timed(() => planExpiry(repo, NOW));
  scans.push(scan);
  plan = result;
  const [loop] = await timed(() => {
    let lapsed = 0;
    for (const { value } of repo.grants.values()) if (Date.parse(value.expires) <= NOW.getTime()) lapsed += 1;
    return lapsed;
  });
  loops.push(loop);
}

const texts = plan.revocations.filter((r) => r.action === 'mark-expired').map((r) => writeGrantYaml(repo.grants.get(r.file).value, 'generated'));
const [edit] = await timed(() => texts.map((t) => editGrantYaml(t, { status: 'expired' })));
const [body] = await timed(() => buildRevocationPullRequest(plan.revocations, { now: NOW, accessLimitMs: () => 7 * 86_400_000 }));

const scan = median(scans);
console.log(`found: ${plan.revocations.length.toLocaleString('en')} revocations (${plan.revocations.filter((r) => r.action === 'delete').length.toLocaleString('en')} deletions), ${plan.expiring.length.toLocaleString('en')} expiring within 3d`);
console.log(`median of ${RUNS} runs:`);
console.log(`  expiry scan (planExpiry)            ${ms(scan)}   target < ${TARGET_MS} ms: ${scan < TARGET_MS ? 'met' : 'MISSED'}`);
console.log(`  bare loop over expires (baseline)   ${ms(median(loops))}   scan / baseline = ${(scan / median(loops)).toFixed(1)}x`);
console.log(`once:`);
console.log(`  edit ${texts.length.toLocaleString('en')} grant files to status: expired   ${ms(edit)}   (${(edit / texts.length * 1000).toFixed(1)} µs each)`);
console.log(`  revocation pull request body (${plan.revocations.length.toLocaleString('en')} rows)   ${ms(body)}`);
if (scan >= TARGET_MS) process.exitCode = 1;
