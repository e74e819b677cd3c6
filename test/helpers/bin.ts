import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.js';

/** The executable as a user runs it; jest's global set-up builds lib/ (which it imports) once per run. */
export const BIN = join(REPO_ROOT, 'bin', 'grantops.js');

export interface ProcessRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `grantops ARGS` as its own process from `cwd`, without jest's NODE_OPTIONS. */
export function runBin(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<ProcessRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '', ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, out: stdout, err: stderr });
    });
  });
}
