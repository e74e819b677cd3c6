// Applies an organisation of 5,000 grants to moto's IAM emulator, then changes 10 grants and applies
// again, then re-runs: prints the mutating and read IAM calls of each run and the wall time. Run with
// `npm run bench:apply` (builds lib/ first; needs moto_server like the tests). Not a test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAccessDir } from '../lib/adapters/file/read-access-dir.js';
import { loadAccessRepo } from '../lib/core/load-access-repo.js';
import { applyCounted, GRANTS_PER_PERSON, NOW, PEOPLE, RESOURCES, resourcesOf, seedAccount, startMoto, writeGrant, writeOrg } from './apply-org.mjs';

const CHANGED = 10;

const run = (root, endpoint, label) => applyCounted(root, endpoint, null, label);

const root = mkdtempSync(join(tmpdir(), 'grantops-bench-apply-'));
const moto = await startMoto();
try {
  writeOrg(root);
  const seedStart = performance.now();
  await seedAccount(moto.endpoint);
  console.log(`seeded ${PEOPLE} users holding ${PEOPLE * GRANTS_PER_PERSON} grants' access in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);

  const inSync = await run(root, moto.endpoint, 'in sync (5,000 grants, none changed)');

  // 10 changed grants: 5 expired, 5 new (a resource the person did not hold).
  for (let k = 0; k < CHANGED / 2; k++) writeGrant(root, k * 97, resourcesOf(k * 97)[0].id, 'expired');
  for (let k = 0; k < CHANGED / 2; k++) {
    const i = k * 89 + 1;
    const held = new Set(resourcesOf(i).map((r) => r.id));
    const fresh = RESOURCES.find((r) => !held.has(r.id));
    writeGrant(root, i, fresh.id, 'active');
  }
  const changed = await run(root, moto.endpoint, `${CHANGED} grants changed`);
  const rerun = await run(root, moto.endpoint, 're-run');

  const grants = PEOPLE * GRANTS_PER_PERSON + CHANGED / 2;
  console.log(`\ngrantops apply against moto: ${grants.toLocaleString('en')} grants, ${PEOPLE} users, ${RESOURCES.length} resources`);
  console.log('run                                   | operations | mutating calls | read calls | wall time');
  for (const r of [inSync, changed, rerun]) {
    console.log(`${r.label.padEnd(37)} | ${String(r.operations).padStart(10)} | ${String(r.mutating).padStart(14)} | ${String(r.reads).padStart(10)} | ${(r.ms / 1000).toFixed(2)} s`);
  }
  console.log(`\nmutating calls per changed grant: ${(changed.mutating / CHANGED).toFixed(2)} (target <= 3)`);
  console.log(`mutating calls on the re-run: ${rerun.mutating} (target 0)`);
  console.log(`read calls per run: ${changed.reads} (${Object.entries(changed.byCommand).filter(([n]) => /^Get/.test(n)).map(([n, c]) => `${n.replace('Command', '')} ${c}`).join(', ')})`);
  console.log(`wall time, 10 changed vs in sync: ${(changed.ms / inSync.ms).toFixed(2)}x`);
  const loadStart = performance.now();
  loadAccessRepo(await readAccessDir(root, 'access'), NOW);
  const loadMs = performance.now() - loadStart;
  console.log(`of each run's wall time, reading and validating access/ alone: ${(loadMs / 1000).toFixed(2)} s (${((loadMs / changed.ms) * 100).toFixed(0)}%); the rest is the emulator's read-out, the plan and the calls`);
  const pass = changed.mutating <= 3 * CHANGED && rerun.mutating === 0 && changed.operations === CHANGED;
  console.log(pass ? 'targets met' : 'TARGETS MISSED');
  process.exitCode = pass ? 0 : 1;
} finally {
  await moto.stop();
  rmSync(root, { recursive: true, force: true });
}
