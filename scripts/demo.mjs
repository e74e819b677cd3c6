#!/usr/bin/env node
// `npm run demo`: the life of one grant, from request to deletion, with the real commands on a temporary copy
// of the example organisation. Exits 0 only if every step behaved as the rules say. `--keep` leaves the
// temporary repository in place to look around in (its path is printed).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'lib', 'demo', 'run-demo.js');
if (!existsSync(built)) {
  console.error('grantops is not built: run `npm ci` (or `npm run build`) first');
  process.exit(2);
}
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((max, e) => Math.max(max, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs), 0);
if (newest(join(root, 'src')) > statSync(built).mtimeMs) console.error('note: src/ changed since the last build; run `npm run build` to demo the current code\n');

const { runDemo } = await import(built);
const started = Date.now();
const result = await runDemo({ source: root, print: (line) => process.stdout.write(`${line}\n`), keep: process.argv.includes('--keep') });
process.stdout.write(`(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
process.exitCode = result.ok ? 0 : 1;
