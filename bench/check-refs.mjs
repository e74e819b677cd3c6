// `grantops check` on a generated organisation: 10,000 people and grants on main, a branch adding 1,000
// grants. Prints the time to read the access directory at a ref (one ls-tree + one cat-file --batch)
// against reading the same files one `git show` at a time, and the end-to-end check. Run with
// `npm run bench:check-refs` (builds lib/ first). Not a test.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LocalGitRefReader } from '../lib/adapters/git/git-ref-reader.js';
import { readTreeAtRef } from '../lib/adapters/git/read-tree-at-ref.js';
import { checkRefs } from '../lib/usecases/check-refs.js';

const PEOPLE = 10_000;
const RESOURCES = 200;
const GRANTS = 10_000;
const NEW_GRANTS = 1_000;
const NAIVE_SAMPLE = 300;
const NOW = new Date('2026-11-23T12:00:00Z');

const root = mkdtempSync(join(tmpdir(), 'grantops-bench-check-'));
const git = (...args) => execFileSync('git', args, { cwd: root, maxBuffer: 1 << 30 }).toString();
const write = (path, text) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const grant = (user, resource) =>
  `user: ${user}\nresource: ${resource}\nreason: bench\nexpires: 2026-11-28T00:00:00Z\napprovalExpires: 2027-01-10T00:00:00Z\nstatus: active\n`;

try {
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Bench');
  git('config', 'user.email', 'bench@bench.example');
  git('config', 'commit.gpgsign', 'false');
  write('access/grantops.yaml', `org: Bench
owners: [owner]
sensitivity:
  low:  { approvers: [], maxAccess: 30d, approvalTtl: 180d }
  high: { approvers: [manager, owner], maxAccess: 7d, approvalTtl: 60d }
defaults:
  - { resources: "*", sensitivity: high }
systems:
  aws-prod: { type: aws, accountId: "111122223333" }
`);
  const people = ['- { login: owner, name: Owner, email: owner@bench.example, aws: { user: owner } }'];
  for (let i = 0; i < PEOPLE; i++) people.push(`- { login: u${i}, name: U ${i}, manager: ${i < 50 ? 'owner' : `u${i % 50}`}, aws: { user: u${i} } }`);
  write('access/people.yaml', `${people.join('\n')}\n`);
  for (let r = 0; r < RESOURCES; r++) write(`access/resources/aws-prod/r${r}.yaml`, `id: r${r}\nsystem: aws-prod\nowners: [u${r}]\ngrants: { group: g${r} }\n`);
  for (let g = 0; g < GRANTS; g++) write(`access/grants/u${g}/r${g % RESOURCES}.yaml`, grant(`u${g}`, `r${g % RESOURCES}`));
  git('add', '-A');
  git('commit', '-q', '-m', 'organisation');
  git('checkout', '-q', '-b', 'request');
  for (let g = 0; g < NEW_GRANTS; g++) write(`access/grants/u${g}/r${(g + 1) % RESOURCES}.yaml`, grant(`u${g}`, `r${(g + 1) % RESOURCES}`));
  git('add', '-A');
  git('commit', '-q', '-m', 'request');
  git('checkout', '-q', 'main');

  const time = async (fn) => {
    const t = performance.now();
    const value = await fn();
    return { ms: performance.now() - t, value };
  };

  const full = await time(() => readTreeAtRef(root, 'main', 'access'));
  const rules = await time(() => readTreeAtRef(root, 'main', 'access', { include: (p) => !p.startsWith('access/grants/') }));
  const sample = full.value.files.slice(0, NAIVE_SAMPLE).map((f) => f.path);
  const naive = await time(() => sample.map((p) => execFileSync('git', ['show', `main:${p}`], { cwd: root })));
  const naivePerFile = naive.ms / NAIVE_SAMPLE;
  const batchedPerFile = full.ms / full.value.files.length;

  const check = await time(() =>
    checkRefs(new LocalGitRefReader(root), { base: 'main', head: 'request', dir: 'access', author: 'owner', approvals: ['owner'], now: NOW }),
  );
  const result = check.value.result;

  console.log(`organisation: ${PEOPLE} people, ${RESOURCES} resources, ${GRANTS} grants; the request adds ${NEW_GRANTS} grants`);
  console.log(`read access/ at a ref (${full.value.files.length} files, 2 git processes): ${full.ms.toFixed(0)} ms (${(batchedPerFile * 1000).toFixed(0)} us/file)`);
  console.log(`read only the rule files at a ref (${rules.value.files.length} files): ${rules.ms.toFixed(0)} ms`);
  console.log(`one git show per file (${NAIVE_SAMPLE} files sampled): ${naivePerFile.toFixed(2)} ms/file, ${(naivePerFile * full.value.files.length / 1000).toFixed(1)} s for the whole tree`);
  console.log(`batched vs one process per file: ${(naivePerFile / batchedPerFile).toFixed(0)}x faster per file`);
  console.log(`grantops check end to end: ${check.ms.toFixed(0)} ms, status ${result.status}, ${result.grants.length} grants judged, ${result.errors.length} errors`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
