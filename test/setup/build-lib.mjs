// Jest's global set-up: tests that run `grantops` as a process (bin/grantops.js imports lib/) need lib/ to be
// the current src/. esbuild transpiles each file on its own (no bundling, no type check: that is
// `npm run typecheck`'s job) into the same layout tsc writes, in well under a second instead of tsc's
// half a minute.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function files(dir, wanted) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return files(path, wanted);
    return wanted(e.name) ? [relative(ROOT, path)] : [];
  });
}

export default async function buildLib() {
  await build({
    absWorkingDir: ROOT,
    entryPoints: files(join(ROOT, 'src'), (name) => name.endsWith('.ts') && !name.endsWith('.d.ts')),
    outdir: 'lib',
    outbase: 'src',
    format: 'esm',
    platform: 'node',
    target: 'node20.10',
    sourcemap: true,
    bundle: false,
    logLevel: 'error',
    tsconfig: 'tsconfig.json',
  });
  // JSON the sources import (tsc's resolveJsonModule copies it too).
  for (const file of files(join(ROOT, 'src'), (name) => name.endsWith('.json'))) {
    const target = join(ROOT, 'lib', relative('src', file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(ROOT, file), target);
  }
}
