// Times what a person feels at the terminal: `grantops --help` and `grantops validate` of the example
// organisation, each as a fresh process, against bare `node -e 0` measured in the same run (alternating,
// so load on the machine hits all three alike). Target: each within 0.2 s of bare node start-up.
// Not a test: `npm run bench:startup`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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

// Wall time, and the child's CPU time (user + system) as GNU time reports it when it is installed: on a
// shared machine the CPU figures are the steadier ones.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function once(args) {
  const start = performance.now();
  const run = TIME
    ? spawnSync(TIME, ['-f', 'cpu %U %S', process.execPath, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } })
    : spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  const wall = performance.now() - start;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr || run.stdout}`);
  const cpu = /^cpu ([\d.]+) ([\d.]+)$/m.exec(run.stderr ?? '');
  return { wall, cpu: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : NaN };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const times = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (const args of Object.values(cases)) once(args); // warm the file cache
for (let i = 0; i < RUNS; i++) for (const [name, args] of Object.entries(cases)) times[name].push(once(args));

const bare = median(times['node -e 0'].map((t) => t.wall));
const bareCpu = median(times['node -e 0'].map((t) => t.cpu));
console.log(`median of ${RUNS} runs each, as fresh processes:      wall (over node)    cpu (over node)`);
let ok = true;
for (const name of Object.keys(cases)) {
  const m = median(times[name].map((t) => t.wall));
  const c = median(times[name].map((t) => t.cpu));
  const extra = m - bare;
  const over = name === 'node -e 0' ? '' : `(+${extra.toFixed(0)})`;
  const overCpu = name === 'node -e 0' || Number.isNaN(c) ? '' : `(+${(c - bareCpu).toFixed(0)})`;
  const verdict = name === 'node -e 0' ? '' : extra <= TARGET_MS ? 'within target' : `OVER the +${TARGET_MS} ms target`;
  if (name !== 'node -e 0' && extra > TARGET_MS) ok = false;
  console.log(`  ${name.padEnd(30)} ${m.toFixed(0).padStart(6)} ms ${over.padEnd(9)} ${Number.isNaN(c) ? '' : `${c.toFixed(0).padStart(6)} ms ${overCpu.padEnd(9)}`} ${verdict}`);
}
process.exitCode = ok ? 0 : 1;
