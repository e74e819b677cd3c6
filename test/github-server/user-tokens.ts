import { randomBytes } from 'node:crypto';
import type { ApiRequest } from './http.js';
import type { GitHubState } from './state.js';

/**
 * Tokens that act as a person rather than as the app's installation (what `gh auth token` gives a
 * requester): the server accepts them like installation tokens, and what they create (a pull request,
 * an issue) is authored by that person instead of the app's bot.
 */
const people = new WeakMap<GitHubState, Map<string, string>>();

export function issueUserToken(state: GitHubState, login: string, installationId: number): string {
  const token = `ghu_${randomBytes(18).toString('hex')}`;
  state.tokens.set(token, { installationId, expiresAt: Date.now() + 60 * 60 * 1000 });
  state.user(login);
  let map = people.get(state);
  if (!map) people.set(state, (map = new Map()));
  map.set(token, login);
  return token;
}

/** Who a request acts as: the person a user token belongs to, else the app's bot. */
export function actingLogin(state: GitHubState, req: ApiRequest): string {
  const credential = String(req.headers.authorization ?? '').split(' ')[1] ?? '';
  return people.get(state)?.get(credential) ?? state.botLogin;
}
