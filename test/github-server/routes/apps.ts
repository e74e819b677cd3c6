import { randomBytes } from 'node:crypto';
import { requireApp } from '../auth.js';
import { notFound, type Router } from '../http.js';
import type { GitHubState } from '../state.js';

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** The GitHub App endpoints: who the app is, and installation access tokens. */
export function registerApps(router: Router, state: GitHubState): void {
  router.get('/app', (req) => {
    requireApp(req.caller);
    return { status: 200, body: { id: state.app.id, slug: state.app.slug, name: state.app.slug } };
  });

  router.post('/app/installations/:id/access_tokens', (req) => {
    requireApp(req.caller);
    const installation = state.installations.get(Number(req.params.id));
    if (!installation) throw notFound();
    const token = `ghs_${randomBytes(18).toString('hex')}`;
    const expiresAt = Date.now() + TOKEN_LIFETIME_MS;
    state.tokens.set(token, { installationId: installation.id, expiresAt });
    return {
      status: 201,
      body: {
        token,
        expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        permissions: { checks: 'write', pull_requests: 'write', contents: 'read', members: 'read', metadata: 'read' },
        repository_selection: 'all',
      },
    };
  });
}
