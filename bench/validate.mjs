// Times `grantops validate` (read + parse + schema + semantic checks) on a generated organisation of
// 2,000 people, 500 resources and 10,000 grants, against merely reading and parsing the same files with
// `yaml`, measured in the same run. Target: validate / read+parse <= 1.5. Not a test: `npm run bench:validate`.
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

const RUNS = 7;
const TARGET_RATIO = 1.5;

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

async function timed(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const root = await mkdtemp(join(tmpdir(), 'grantops-bench-'));
try {
  const { files, bytes } = await generateOrg(join(root, 'access'));
  console.log(`organisation: ${files} files, ${(bytes / 1e6).toFixed(1)} MB (2,000 people, 500 resources, 10,000 grants)`);

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
    stages.read.push(await timed(async () => (snapshot = await readAccessDir(root, 'access'))));
    stages.parse.push(await timed(async () => (parsed = parseAccessRepo(snapshot))));
    stages.semantic.push(await timed(async () => validateAccessRepo(parsed.repo, NOW)));
  }

  const b = median(baseline);
  const v = median(full);
  const ratio = v / b;
  const ms = (x) => `${x.toFixed(0)} ms`;
  console.log(`median of ${RUNS} runs each:`);
  console.log(`  read + parse with yaml            ${ms(b)}`);
  console.log(`  grantops validate                 ${ms(v)}`);
  console.log(`    read the access directory       ${ms(median(stages.read))}`);
  console.log(`    parse + schema (+ layout)       ${ms(median(stages.parse))}`);
  console.log(`    semantic checks                 ${ms(median(stages.semantic))}`);
  console.log(`  ratio validate / read+parse       ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'OK' : 'ABOVE TARGET'}`);
} finally {
  await rm(root, { recursive: true, force: true });
}
