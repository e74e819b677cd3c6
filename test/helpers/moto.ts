import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** Credentials moto accepts; they act in its default account (any account's would do). */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/**
 * moto's IAM emulator as a real HTTP server on 127.0.0.1, started and stopped by the test that needs
 * it. A machine without moto fails these tests: the aws provider is never silently left untested.
 */
export interface Moto {
  endpoint: string;
  accountId: string;
  /** Clears every user, group and policy (AWS managed policies come back loaded). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `MOTO_SERVER`, else `moto_server` on the PATH, else what pyenv knows. */
export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MOTO_SERVER) {
    if (!isExecutable(env.MOTO_SERVER)) throw new Error(`MOTO_SERVER=${env.MOTO_SERVER} is not an executable`);
    return env.MOTO_SERVER;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, 'moto_server'))) return join(dir, 'moto_server');
  }
  try {
    const found = execFileSync('pyenv', ['which', 'moto_server'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (found && isExecutable(found)) return found;
  } catch {
    // pyenv missing or without moto: fall through to the failure below.
  }
  throw new Error('moto_server (the IAM emulator) is missing: install moto[server] for the machine\'s python, or set MOTO_SERVER');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitReady(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${output()}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within 30s: ${output()}`);
}

/**
 * `accountId` is the account of any credentials moto does not know. With `multiAccount`, moto keys every
 * service by the signing credentials' account instead (an assumed role's session lands in the role's
 * account), as AWS does; its own default account is then 123456789012.
 */
export async function startMoto(accountId = '111122223333', options: { multiAccount?: boolean } = {}): Promise<Moto> {
  const bin = findMotoServer();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true', ...(options.multiAccount ? {} : { MOTO_ACCOUNT_ID: accountId }) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      // Its own process group: the pyenv shim and the python it starts both go, and nothing else.
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        child.kill('SIGTERM');
      }
      await exited;
    }
  };
  try {
    await waitReady(endpoint, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    endpoint,
    accountId: options.multiAccount ? '123456789012' : accountId,
    reset: async () => {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: ${res.status}`);
    },
    stop,
  };
}
