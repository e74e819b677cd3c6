// Times `grantops validate` (read + parse + schema + semantic checks) on generated organisations of
// several shapes (up to 3,000 people, 600 resources and 12,000 grants), against merely reading and parsing
// the same files with `yaml`, measured in the same run. Target: validate / read+parse <= 1.3.
// Not a test: `npm run bench:validate` (all shapes) or `npm run bench:validate -- 2` (one).
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { readAccessDir } from '../lib/adapters/file/read-access-dir.js';
import { hasErrors } from '../lib/core/diagnostic.js';
import { loadAccessRepo } from '../lib/core/load-access-repo.js';
import { parseAccessRepo } from '../lib/core/parse-access-repo.js';
import { validateAccessRepo } from '../lib/core/validate-access-repo.js';
import { NOW, generateOrg } from './generate-org.mjs';

const RUNS = Number(process.env.RUNS ?? 5);
const TARGET_RATIO = 1.3;

// The baseline reads as grantops does (64 reads in flight), so the ratio measures only the work grantops
// adds to reading and parsing: positions, schemas, layout and semantic checks.
async function readAndParse(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const paths = entries.filter((e) => e.isFile() && e.name.endsWith('.yaml')).map((e) => join(e.parentPath ?? e.path, e.name));
  const texts = new Array(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      texts[i] = await readFile(paths[i], 'utf8');
    }
  };
  await Promise.all(Array.from({ length: 64 }, worker));
  let documents = 0;
  for (const text of texts) if (parse(text) !== undefined) documents += 1;
  return documents;
}

async function validate(root) {
  const { diagnostics } = loadAccessRepo(await readAccessDir(root, 'access'), NOW);
  if (hasErrors(diagnostics)) throw new Error(`the generated organisation does not validate: ${JSON.stringify(diagnostics.slice(0, 3))}`);
  return diagnostics.length;
}

// Wall time and this process's CPU time: on a shared machine the CPU figures are the steadier ones.
async function timed(fn) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await fn();
  const used = process.cpuUsage(cpu);
  return { wall: performance.now() - start, cpu: (used.user + used.system) / 1000 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// Several shapes, since a check that is cheap on one can be quadratic on another: a deep manager chain,
// many resources at every level, grants piled onto a few people.
const SHAPES = [
  { name: '2,000 people, 500 resources, 10,000 grants (fan-out 8)', options: {} },
  { name: '3,000 people four levels deep, 600 resources, 12,000 grants', options: { people: 3000, resources: 600, grants: 12000, fanOut: 15 } },
  { name: 'the same, grants spread unevenly (one person holds all 600)', options: { people: 3000, resources: 600, grants: 12000, fanOut: 15, skewed: true } },
];
const only = process.argv[2] === undefined ? SHAPES : SHAPES.filter((_, i) => String(i + 1) === process.argv[2]);

const ms = (x) => `${x.toFixed(0)} ms`;
let worst = 0;
for (const shape of only) {
  const root = await mkdtemp(join(tmpdir(), 'grantops-bench-'));
  try {
    const { files, bytes } = await generateOrg(join(root, 'access'), shape.options);
    console.log(`\n${shape.name}: ${files} files, ${(bytes / 1e6).toFixed(1)} MB`);
    // Warm up both paths (JIT, file cache, ajv compilation), then alternate so drift hits both alike.
    await readAndParse(join(root, 'access'));
    await validate(root);
    const baseline = [];
    const full = [];
    const stages = { read: [], parse: [], semantic: [] };
    for (let i = 0; i < RUNS; i++) {
      baseline.push(await timed(() => readAndParse(join(root, 'access'))));
      full.push(await timed(() => validate(root)));
      let snapshot;
      let parsed;
      stages.read.push((await timed(async () => (snapshot = await readAccessDir(root, 'access')))).wall);
      stages.parse.push((await timed(async () => (parsed = parseAccessRepo(snapshot)))).wall);
      stages.semantic.push((await timed(async () => validateAccessRepo(parsed.repo, NOW))).wall);
    }
    const b = { wall: median(baseline.map((t) => t.wall)), cpu: median(baseline.map((t) => t.cpu)) };
    const v = { wall: median(full.map((t) => t.wall)), cpu: median(full.map((t) => t.cpu)) };
    const ratio = { wall: v.wall / b.wall, cpu: v.cpu / b.cpu };
    worst = Math.max(worst, ratio.cpu);
    console.log(`  median of ${RUNS} runs each               wall        cpu`);
    console.log(`  read + parse with yaml            ${ms(b.wall).padStart(9)}  ${ms(b.cpu).padStart(9)}`);
    console.log(`  grantops validate                 ${ms(v.wall).padStart(9)}  ${ms(v.cpu).padStart(9)}`);
    console.log(`    read the access directory       ${ms(median(stages.read)).padStart(9)}`);
    console.log(`    parse + schema (+ layout)       ${ms(median(stages.parse)).padStart(9)}`);
    console.log(`    semantic checks                 ${ms(median(stages.semantic)).padStart(9)}`);
    console.log(`  ratio validate / read+parse       ${ratio.wall.toFixed(2).padStart(9)}  ${ratio.cpu.toFixed(2).padStart(9)}  (target <= ${TARGET_RATIO}) ${ratio.cpu <= TARGET_RATIO ? 'OK' : 'ABOVE TARGET'}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
console.log(`\nworst CPU ratio ${worst.toFixed(2)} (target <= ${TARGET_RATIO})`);
