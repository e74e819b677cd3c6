import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli.js';
import type { CliIo } from '../../src/commands/io.js';

/** The repository root, for tests that use the real example organisation in `access/`. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs one command line in-process, as `grantops` would from `cwd`, and captures what it writes. */
export async function runCli(argv: string[], cwd: string, now = new Date('2026-11-23T12:00:00Z'), env?: NodeJS.ProcessEnv): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (s) => out.push(s), err: (s) => err.push(s), exitCode: 0, cwd, now: () => now, ...(env && { env }) };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/**
 * The example organisation's state files as `--state` flags with absolute paths, for a command run outside
 * the repository (each system's, as the file provider would find them in the repository root).
 */
export const EXAMPLE_STATES: readonly string[] = [
  '--state', join(REPO_ROOT, 'examples/aws-state.json'),
  '--state', `aws-staging=${join(REPO_ROOT, 'examples/state/aws-staging.json')}`,
  '--state', `sso=${join(REPO_ROOT, 'examples/state/sso.json')}`,
];

/** A temporary folder holding a copy of the example `access/`, removed by the returned cleanup. */
export function copyExampleOrg(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'grantops-'));
  cpSync(join(REPO_ROOT, 'access'), join(root, 'access'), { recursive: true });
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
