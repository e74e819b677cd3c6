// Times what a person feels at the terminal: `grantops --help` and `grantops validate` of the example
// organisation, each as a fresh process, against bare `node -e 0` measured in the same run (alternating,
// so load on the machine hits all three alike). Target: each within 0.2 s of bare node start-up.
// Not a test: `npm run bench:startup`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/grantops.js', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 15);
const TARGET_MS = 200;
// The example's grants are dated relative to a fixed day; --now keeps the run independent of the calendar.
const NOW = '2026-11-23T12:00:00Z';

const cases = {
  'node -e 0': ['-e', '0'],
  'grantops --help': [BIN, '--help'],
  'grantops --version': [BIN, '--version'],
  'grantops validate (example)': [BIN, 'validate', '--now', NOW],
};

function once(args) {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr || run.stdout}`);
  return ms;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (const args of Object.values(cases)) once(args); // warm the file cache
for (let i = 0; i < RUNS; i++) for (const [name, args] of Object.entries(cases)) times[name].push(once(args));

const bare = median(times['node -e 0']);
console.log(`median of ${RUNS} runs each, as fresh processes:`);
let ok = true;
for (const name of Object.keys(cases)) {
  const m = median(times[name]);
  const extra = m - bare;
  const verdict = name === 'node -e 0' ? '' : extra <= TARGET_MS ? `  +${extra.toFixed(0)} ms (target <= +${TARGET_MS} ms)` : `  +${extra.toFixed(0)} ms: OVER the +${TARGET_MS} ms target`;
  if (name !== 'node -e 0' && extra > TARGET_MS) ok = false;
  console.log(`  ${name.padEnd(30)} ${m.toFixed(0).padStart(5)} ms${verdict}`);
}
process.exitCode = ok ? 0 : 1;
