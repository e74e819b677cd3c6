// Jest's global set-up: tests that run `grantops` as a process (bin/grantops.js imports lib/) need lib/ to be
// the current src/. esbuild transpiles each file on its own (no bundling, no type check: that is
// `npm run typecheck`'s job) into the same layout tsc writes, in well under a second instead of tsc's
// half a minute.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [relative(ROOT, path)] : [];
  });
}

export default async function buildLib() {
  await build({
    absWorkingDir: ROOT,
    entryPoints: sources(join(ROOT, 'src')),
    outdir: 'lib',
    outbase: 'src',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    bundle: false,
    logLevel: 'error',
    tsconfig: 'tsconfig.json',
  });
}
