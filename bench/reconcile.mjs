// Level-triggered apply on a long history: the organisation of bench/apply.mjs (5,000 grants, 1,000 people,
// applied to moto) in a git repository of 10,000 first-parent commits that change grants, add and delete
// grants, and remove people who held grants from people.yaml. Measures, in one run, a no-op apply as before
// issue 12 (no history read) against the level-triggered no-op apply (history read), the history read alone,
// and the IAM calls of a change (10 deleted grant files) and of the re-run after it.
// Run with `npm run bench:reconcile` (builds lib/ first; needs moto_server like the tests). Not a test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAccessDir } from '../lib/adapters/file/read-access-dir.js';
import { GitGrantHistory } from '../lib/adapters/git/grant-history.js';
import { loadAccessRepo } from '../lib/core/load-access-repo.js';
import { readFormerGrants } from '../lib/usecases/read-former-grants.js';
import { applyCounted, NOW, PEOPLE, RESOURCES, resourcesOf, seedAccount, startMoto, writeOrg } from './apply-org.mjs';

const COMMITS = 10_000;
const LEFT = 40;
const grantText = (login, resource, reason) => `user: ${login}\nresource: ${resource}\nreason: ${reason}\nexpires: 2026-12-20T00:00:00Z\nstatus: active\n`;

const git = (root, args, input) => execFileSync('git', args, { cwd: root, input, maxBuffer: 1 << 28, encoding: 'utf8' });

/**
 * The organisation as one commit, then 9,999 more through one fast-import stream: most edit a grant's
 * reason; every 25th adds a grant the next one deletes; 40 people join with grants early on and leave
 * (people.yaml and their grant files) later; people.yaml changes every 500 commits.
 */
function buildHistory(root, peopleYaml) {
  git(root, ['init', '-q', '--initial-branch=main']);
  git(root, ['add', '-A']);
  git(root, ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.test', 'commit', '-q', '-m', 'the organisation']);
  const chunks = [];
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const leavers = Array.from({ length: LEFT }, (_, n) => `- { login: left-${n}, name: Left ${n}, aws: { user: left-${n}.iam } }`).join('\n') + '\n';
  let people = peopleYaml;
  let pendingDelete;
  for (let k = 1; k < COMMITS; k++) {
    const ops = [];
    if (k === 10) {
      people = peopleYaml + leavers;
      ops.push(`M 100644 inline access/people.yaml\n${data(people)}`);
      for (let n = 0; n < LEFT; n++) ops.push(`M 100644 inline access/grants/left-${n}/${RESOURCES[n % RESOURCES.length].id}.yaml\n${data(grantText(`left-${n}`, RESOURCES[n % RESOURCES.length].id, 'joined'))}`);
    } else if (k === 7000) {
      people = peopleYaml;
      ops.push(`M 100644 inline access/people.yaml\n${data(people)}`);
      for (let n = 0; n < LEFT; n++) ops.push(`D access/grants/left-${n}/${RESOURCES[n % RESOURCES.length].id}.yaml\n`);
    } else if (pendingDelete) {
      ops.push(`D ${pendingDelete}\n`);
      pendingDelete = undefined;
    } else if (k % 25 === 0) {
      const i = (k * 7) % PEOPLE;
      const held = new Set(resourcesOf(i).map((r) => r.id));
      const fresh = RESOURCES.find((r) => !held.has(r.id));
      pendingDelete = `access/grants/p${i}/${fresh.id}.yaml`;
      ops.push(`M 100644 inline ${pendingDelete}\n${data(grantText(`p${i}`, fresh.id, 'short-lived'))}`);
    } else if (k % 500 === 0) {
      people = `${people}# reviewed ${k}\n`;
      ops.push(`M 100644 inline access/people.yaml\n${data(people)}`);
    } else {
      const i = k % PEOPLE;
      const r = resourcesOf(i)[k % 5];
      ops.push(`M 100644 inline access/grants/p${i}/${r.id}.yaml\n${data(grantText(`p${i}`, r.id, `bench ${k}`))}`);
    }
    const when = 1_700_000_000 + k * 60;
    chunks.push(`commit refs/heads/main\ncommitter Bench <bench@example.test> ${when} +0000\n${data(`change ${k}`)}${k === 1 ? 'from refs/heads/main^0\n' : ''}${ops.join('')}\n`);
  }
  git(root, ['fast-import', '--quiet', '--force'], chunks.join(''));
  git(root, ['reset', '-q', '--hard', 'main']);
  return Number(git(root, ['rev-list', '--count', '--first-parent', 'HEAD']).trim());
}

const apply = (root, endpoint, history) => applyCounted(root, endpoint, history, history ? 'level-triggered' : 'before');

const root = mkdtempSync(join(tmpdir(), 'grantops-bench-reconcile-'));
const moto = await startMoto();
try {
  writeOrg(root);
  const peopleYaml = (await import('node:fs')).readFileSync(join(root, 'access', 'people.yaml'), 'utf8');
  let started = performance.now();
  const commits = buildHistory(root, peopleYaml);
  console.log(`history: ${commits.toLocaleString('en')} first-parent commits in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  started = performance.now();
  await seedAccount(moto.endpoint);
  console.log(`seeded moto in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const history = new GitGrantHistory(root);
  // Alternating, twice each; the second of each is reported (warm caches for both).
  const runs = { before: [], level: [] };
  for (let round = 0; round < 2; round++) {
    runs.before.push(await apply(root, moto.endpoint, null));
    runs.level.push(await apply(root, moto.endpoint, history));
  }
  const before = runs.before[1];
  const level = runs.level[1];

  const { repo } = loadAccessRepo(await readAccessDir(root, 'access'), NOW);
  started = performance.now();
  const former = await readFormerGrants(history, 'access', repo);
  const historyMs = performance.now() - started;
  const leftFound = former.formerGrants.filter((g) => g.user.startsWith('left-') && g.iamUser).length;

  // A change: 10 grant files deleted in one commit; then the re-run.
  const deleted = Array.from({ length: 10 }, (_, k) => `access/grants/p${k * 31}/${resourcesOf(k * 31)[0].id}.yaml`);
  git(root, ['rm', '-q', ...deleted]);
  git(root, ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.test', 'commit', '-q', '-m', 'ten grants given up']);
  const change = await apply(root, moto.endpoint, history);
  const rerun = await apply(root, moto.endpoint, history);

  console.log(`\nno-op apply, ${(PEOPLE * 5).toLocaleString('en')} grants, ${commits.toLocaleString('en')}-commit history, against moto`);
  console.log('run                                         | wall time | mutating | reads');
  console.log(`before issue 12 (no history read)           | ${(before.ms / 1000).toFixed(2).padStart(7)} s | ${String(before.mutating).padStart(8)} | ${before.reads}`);
  console.log(`level-triggered (first-parent history read) | ${(level.ms / 1000).toFixed(2).padStart(7)} s | ${String(level.mutating).padStart(8)} | ${level.reads}`);
  console.log(`level-triggered / before: ${(level.ms / before.ms).toFixed(2)}x`);
  console.log(`reading the history alone: ${historyMs.toFixed(0)} ms (${((historyMs / level.ms) * 100).toFixed(1)}% of the level-triggered run); ${former.formerGrants.length.toLocaleString('en')} former grants, ${leftFound}/${LEFT} people who left found with their IAM user`);
  console.log(`\n10 grant files deleted: ${change.operations} operations, ${change.mutating} mutating calls (${(change.mutating / 10).toFixed(1)} per change; target <= 3); re-run: ${rerun.mutating} mutating calls (target 0)`);
  const pass = change.operations === 10 && change.mutating <= 30 && rerun.mutating === 0 && level.mutating === 0 && before.mutating === 0 && leftFound === LEFT;
  console.log(pass ? 'targets met' : 'TARGETS MISSED');
  process.exitCode = pass ? 0 : 1;
} finally {
  await moto.stop();
  rmSync(root, { recursive: true, force: true });
}
