import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { parse } from 'yaml';
import { buildAppManifest } from './app-manifest.js';

/**
 * `npm start` before any app exists: a page that registers the GitHub App from app.yml through GitHub's
 * manifest flow, then trades the code GitHub returns for the app's id, key and webhook secret and writes
 * them to `.env` (with WEBHOOK_PROXY_URL, when a proxy channel carries the webhooks). Restart to serve it.
 */
export interface RegistrationOptions {
  port: number;
  host?: string;
  /** Where `.env` is written. */
  cwd: string;
  env: Record<string, string | undefined>;
  appYmlPath: string;
  repositoryUrl?: string;
  log: (line: string) => void;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function githubUrls(env: Record<string, string | undefined>): { web: string; api: string } {
  if (!env.GHE_HOST) return { web: 'https://github.com', api: 'https://api.github.com' };
  const origin = `${env.GHE_PROTOCOL || 'https'}://${env.GHE_HOST}`;
  return { web: origin, api: `${origin}/api/v3` };
}

/** Merges `values` into `.env` (other keys kept), written whole to a temporary file and renamed. */
export function updateDotEnv(cwd: string, values: Record<string, string>): void {
  const path = join(cwd, '.env');
  let current: Record<string, string> = {};
  try {
    current = parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
  } catch {
    // no .env yet
  }
  const merged = { ...current, ...values };
  const text = Object.entries(merged).map(([k, v]) => `${k}=${/[\s"#\\]/.test(v) ? JSON.stringify(v) : v}`).join('\n');
  writeFileSync(`${path}.tmp`, `${text}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
}

export function startRegistration(options: RegistrationOptions): Promise<Server> {
  const { env } = options;
  const github = githubUrls(env);
  const page = (body: string, status = 200) => ({ status, html: `<!doctype html><meta charset="utf-8"><title>Register grantops</title><body style="font-family:sans-serif;max-width:44em;margin:2em auto">${body}</body>` });

  const server = createServer((req, res) => {
    const send = ({ status, html }: { status: number; html: string }) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    const url = new URL(req.url ?? '/', 'http://local');
    const baseUrl = `${req.headers['x-forwarded-proto'] ?? 'http'}://${req.headers['x-forwarded-host'] ?? req.headers.host ?? `localhost:${options.port}`}`;
    if (req.method === 'GET' && url.pathname === '/') {
      const result = buildAppManifest({ appYml: parse(readFileSync(options.appYmlPath, 'utf8')) as Record<string, unknown>, env, baseUrl, repositoryUrl: options.repositoryUrl });
      if (!result.ok) return send(page(`<h1>Register the grantops GitHub App</h1><p class="problem">${esc(result.problem)}</p>`, 200));
      const action = `${github.web}${env.GH_ORG ? `/organizations/${encodeURIComponent(env.GH_ORG)}` : ''}/settings/apps/new`;
      return send(
        page(
          `<h1>Register the grantops GitHub App</h1><p>Webhooks go to <code>${esc(result.webhookUrl)}</code>; the app's homepage is <code>${esc(result.homepage)}</code>.</p>` +
            `<form action="${esc(action)}" method="post"><input type="hidden" name="manifest" value="${esc(JSON.stringify(result.manifest))}"><button type="submit">Register on GitHub</button></form>`,
        ),
      );
    }
    if (req.method === 'GET' && url.pathname === '/setup') {
      const code = url.searchParams.get('code');
      if (!code || !/^[\w-]+$/.test(code)) return send(page('<p>GitHub did not send a registration code.</p>', 400));
      void fetch(`${github.api}/app-manifests/${code}/conversions`, { method: 'POST', headers: { accept: 'application/vnd.github+json' } })
        .then(async (response) => {
          if (!response.ok) throw new Error(`GitHub answered ${response.status} to the registration code`);
          const app = (await response.json()) as { id: number; pem: string; webhook_secret: string; html_url: string };
          updateDotEnv(options.cwd, {
            APP_ID: String(app.id),
            PRIVATE_KEY: app.pem,
            WEBHOOK_SECRET: app.webhook_secret,
            ...(env.WEBHOOK_PROXY_URL ? { WEBHOOK_PROXY_URL: env.WEBHOOK_PROXY_URL } : {}),
          });
          options.log(`registered GitHub App ${app.id}; .env holds its id, key and webhook secret: restart with \`npm start\``);
          res.writeHead(302, { location: `${app.html_url}/installations/new` }).end();
        })
        .catch((error: unknown) => send(page(`<p>${esc(error instanceof Error ? error.message : String(error))}</p>`, 502)));
      return;
    }
    send(page('<p>Not found.</p>', 404));
  });
  return new Promise((resolve) => server.listen(options.port, options.host ?? 'localhost', () => resolve(server)));
}
