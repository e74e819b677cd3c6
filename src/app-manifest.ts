/**
 * The GitHub App manifest `npm start` offers when no app is configured yet (GitHub's manifest flow): the
 * permissions and events of app.yml, with a webhook URL GitHub can actually deliver to and a real homepage.
 * Pure: the caller passes the environment and the URL the browser reached the server at.
 */
export const DEFAULT_WEBHOOK_PATH = '/api/github/webhooks';

export interface ManifestInput {
  /** app.yml, parsed. */
  appYml: Record<string, unknown>;
  env: Record<string, string | undefined>;
  /** How the browser reached this server, e.g. `http://localhost:3000`. */
  baseUrl: string;
  /** The GitHub page of the repository the server runs from, when it has one. */
  repositoryUrl?: string;
}

export type ManifestResult =
  | { ok: true; manifest: Record<string, unknown>; webhookUrl: string; homepage: string }
  | { ok: false; problem: string };

const LOCAL_HOST = /^(localhost|127(?:\.\d+){3}|\[::1\]|0\.0\.0\.0)$/i;

function isLocal(url: string): boolean {
  try {
    return LOCAL_HOST.test(new URL(url).hostname);
  } catch {
    return true;
  }
}

export function buildAppManifest(input: ManifestInput): ManifestResult {
  const { env } = input;
  const publicUrl = (env.GRANTOPS_PUBLIC_URL ?? input.baseUrl).replace(/\/+$/, '');
  const path = env.WEBHOOK_PATH ?? DEFAULT_WEBHOOK_PATH;
  // A proxy channel (smee.io) forwards to this server's webhook path; otherwise GitHub posts to it directly.
  const webhookUrl = env.WEBHOOK_PROXY_URL || `${publicUrl}${path.startsWith('/') ? path : `/${path}`}`;
  if (isLocal(webhookUrl)) {
    return {
      ok: false,
      problem:
        `GitHub cannot deliver webhooks to ${webhookUrl}. On a development machine, open a channel at https://smee.io/new and ` +
        'restart with WEBHOOK_PROXY_URL=<the channel URL> (the server then forwards its deliveries); on a server, set ' +
        'GRANTOPS_PUBLIC_URL to the https address GitHub reaches it at.',
    };
  }
  const homepage = env.GRANTOPS_APP_HOMEPAGE || input.repositoryUrl || (isLocal(publicUrl) ? undefined : publicUrl);
  if (!homepage) {
    return { ok: false, problem: 'GitHub requires a homepage for the app: set GRANTOPS_APP_HOMEPAGE (your access repository or its documentation).' };
  }
  const { url: _placeholder, hook_attributes: _hook, redirect_url: _redirect, ...fromYml } = input.appYml;
  return {
    ok: true,
    webhookUrl,
    homepage,
    manifest: {
      ...fromYml,
      url: homepage,
      hook_attributes: { url: webhookUrl, active: true },
      redirect_url: `${input.baseUrl.replace(/\/+$/, '')}/setup`,
    },
  };
}
