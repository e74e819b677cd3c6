import { main } from '../../src/cli.js';
import type { CliIo } from '../../src/commands/io.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs one grantops command line in-process, in `cwd`, with `env` set for its duration (the commands
 * read GITHUB_TOKEN and friends from the environment, as they do in a workflow).
 */
export async function runGrantops(args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), exitCode: 0, cwd, now: () => new Date('2000-01-01T00:00:00Z') };
  try {
    const code = await main(args, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
