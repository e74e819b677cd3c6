import { verify } from 'node:crypto';
import { ApiError, type Caller } from './http.js';
import type { GitHubState } from './state.js';

/**
 * Who is calling, from the Authorization header: an app JWT (RS256, `iss` = the app id, not expired)
 * or an installation token this server issued and that has not expired.
 */
export function identifyCaller(state: GitHubState, authorization: string | undefined): Caller {
  if (!authorization) return { kind: 'anonymous' };
  const [scheme, credential] = authorization.split(' ') as [string, string | undefined];
  if (!credential) throw new ApiError(401, 'Bad credentials');
  if (credential.split('.').length === 3) return verifyAppJwt(state, credential);
  if (!/^(token|bearer)$/i.test(scheme)) throw new ApiError(401, 'Bad credentials');
  const token = state.tokens.get(credential);
  if (!token || token.expiresAt < Date.now()) throw new ApiError(401, 'Bad credentials');
  return { kind: 'installation', installationId: token.installationId };
}

function verifyAppJwt(state: GitHubState, jwt: string): Caller {
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  let claims: { iss?: string | number; exp?: number };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof claims;
  } catch {
    throw new ApiError(401, 'A JSON web token could not be decoded');
  }
  if (state.app.publicKey) {
    const ok = verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), state.app.publicKey, Buffer.from(signature, 'base64url'));
    if (!ok) throw new ApiError(401, 'A JSON web token could not be decoded');
  }
  if (String(claims.iss) !== String(state.app.id)) throw new ApiError(401, `'Issuer' claim ('iss') must be the app id`);
  if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) throw new ApiError(401, `'Expiration time' claim ('exp') is too far in the past`);
  return { kind: 'app', appId: state.app.id };
}

export function requireInstallation(caller: Caller): number {
  if (caller.kind !== 'installation') throw new ApiError(401, 'Requires authentication');
  return caller.installationId;
}

export function requireApp(caller: Caller): number {
  if (caller.kind !== 'app') throw new ApiError(401, 'A JSON web token is required to access this endpoint');
  return caller.appId;
}
