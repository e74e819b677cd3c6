import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { parse } from 'yaml';
import { REPO_ROOT } from '../helpers/cli.js';

const SERVER = join(REPO_ROOT, 'lib', 'app-server.js');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `npm start` with no app configured, as a process in `cwd`, until it says it listens. */
async function start(cwd: string, env: Record<string, string>): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(APP_ID|PRIVATE_KEY|PRIVATE_KEY_PATH|WEBHOOK_SECRET|WEBHOOK_PROXY_URL|GRANTOPS_|GHE_|NODE_ENV|NODE_OPTIONS)/.test(k)));
  const child = spawn(process.execPath, [SERVER], { cwd, env: { ...clean, PORT: String(port), HOST: '127.0.0.1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('No GitHub App yet')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}: ${out}`)));
  });
  return { base: `http://127.0.0.1:${port}`, child };
}

const manifestOf = (html: string) => {
  const m = /name="manifest" value="([^"]*)"/.exec(html);
  return m ? (JSON.parse(m[1]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)))) as Record<string, unknown>) : undefined;
};

describe('npm start without an app: registering it from app.yml (as a process)', () => {
  let cwd: string;
  let child: ChildProcess | undefined;
  beforeEach(() => (cwd = mkdtempSync(join(tmpdir(), 'grantops-register-'))));
  afterEach(() => {
    child?.kill();
    child = undefined;
    rmSync(cwd, { recursive: true, force: true });
  });

  it('offers no app GitHub could not deliver to: a localhost webhook URL is refused with how to receive webhooks', async () => {
    const started = await start(cwd, {});
    child = started.child;
    const html = await (await fetch(`${started.base}/`)).text();
    expect(manifestOf(html)).toBeUndefined();
    expect(html).toContain('GitHub cannot deliver webhooks to http://127.0.0.1:');
    expect(html).toContain('WEBHOOK_PROXY_URL');
  });

  it('on a development machine: webhooks through the proxy channel, homepage the GitHub repository it runs in', async () => {
    execFileSync('git', ['init', '-q'], { cwd });
    execFileSync('git', ['remote', 'add', 'origin', 'git@github.com:acme/grantops.git'], { cwd });
    const started = await start(cwd, { WEBHOOK_PROXY_URL: 'https://smee.io/grantops-dev' });
    child = started.child;
    const html = await (await fetch(`${started.base}/`)).text();
    expect(html).toContain('<form action="https://github.com/settings/apps/new" method="post">');
    const appYml = parse(readFileSync(join(REPO_ROOT, 'app.yml'), 'utf8')) as Record<string, unknown>;
    expect(manifestOf(html)).toEqual({
      name: 'grantops',
      description: appYml.description,
      public: false,
      default_events: appYml.default_events,
      default_permissions: appYml.default_permissions,
      url: 'https://github.com/acme/grantops',
      hook_attributes: { url: 'https://smee.io/grantops-dev', active: true },
      redirect_url: `${started.base}/setup`,
    });
  });

  it('on a server: webhooks at its public URL\'s /api/github/webhooks', async () => {
    const started = await start(cwd, { GRANTOPS_PUBLIC_URL: 'https://grantops.acme.example/', GRANTOPS_APP_HOMEPAGE: 'https://github.com/acme/access' });
    child = started.child;
    const manifest = manifestOf(await (await fetch(`${started.base}/`)).text());
    expect(manifest).toMatchObject({ url: 'https://github.com/acme/access', hook_attributes: { url: 'https://grantops.acme.example/api/github/webhooks' } });
  });

  it('trades GitHub\'s code for the app and writes its id, key, secret and proxy to .env', async () => {
    const calls: string[] = [];
    const github: Server = createServer((req: IncomingMessage, res) => {
      calls.push(`${req.method} ${req.url}`);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 4242, pem: '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n', webhook_secret: 's3cret', html_url: 'http://github.acme.example/apps/grantops-acme', client_id: 'Iv1', client_secret: 'x' }));
    });
    await new Promise<void>((r) => github.listen(0, '127.0.0.1', () => r()));
    try {
      const ghe = `127.0.0.1:${(github.address() as { port: number }).port}`;
      const started = await start(cwd, { WEBHOOK_PROXY_URL: 'https://smee.io/grantops-dev', GRANTOPS_APP_HOMEPAGE: 'https://github.com/acme/access', GHE_HOST: ghe, GHE_PROTOCOL: 'http' });
      child = started.child;
      const res = await fetch(`${started.base}/setup?code=c0de`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('http://github.acme.example/apps/grantops-acme/installations/new');
      expect(calls).toEqual(['POST /api/v3/app-manifests/c0de/conversions']);
      expect(parseEnv(readFileSync(join(cwd, '.env'), 'utf8'))).toEqual({
        APP_ID: '4242',
        PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n',
        WEBHOOK_SECRET: 's3cret',
        WEBHOOK_PROXY_URL: 'https://smee.io/grantops-dev',
      });
      expect((await fetch(`${started.base}/setup?code=bad%20code`)).status).toBe(400);
    } finally {
      github.close();
    }
  });
});
