import type { Person } from '../model.js';

/** What the caller's environment says about who they are, strongest first. */
export interface IdentityHints {
  /** `--as LOGIN`. */
  as?: string;
  /** `git config github.user`: the convention hub and other tools use for one's GitHub login. */
  githubUser?: string;
  /** `git config user.email`. */
  email?: string;
  /** `git config user.name`. */
  name?: string;
}

export type RequesterResolution = { login: string; why: string } | { login?: undefined; why: string };

const same = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * Who is asking, as a login of people.yaml. `--as` wins, then `github.user`, then the git e-mail
 * matched against people's `email`, then `user.name` matched against a login or (when exactly one
 * person has it) a name. The answer must be someone in people.yaml: the approval rules are about people.
 */
export function resolveRequester(people: ReadonlyMap<string, { value: Person }>, hints: IdentityHints): RequesterResolution {
  const all = [...people.values()].map((p) => p.value);
  const byLogin = (login: string) => all.find((p) => same(p.login, login));
  if (hints.as !== undefined) {
    const person = byLogin(hints.as);
    return person ? { login: person.login, why: `--as ${hints.as}` } : { why: `--as "${hints.as}" is not a login in people.yaml` };
  }
  if (hints.githubUser) {
    const person = byLogin(hints.githubUser);
    if (person) return { login: person.login, why: `git config github.user (${hints.githubUser})` };
  }
  if (hints.email) {
    const matches = all.filter((p) => same(p.email, hints.email));
    if (matches.length === 1) return { login: matches[0]!.login, why: `git config user.email (${hints.email}) is ${matches[0]!.login}'s in people.yaml` };
  }
  if (hints.name) {
    const person = byLogin(hints.name);
    if (person) return { login: person.login, why: `git config user.name (${hints.name}) is a login in people.yaml` };
    const named = all.filter((p) => p.name === hints.name);
    if (named.length === 1) return { login: named[0]!.login, why: `git config user.name (${hints.name}) is ${named[0]!.login}'s name in people.yaml` };
  }
  const tried = [
    hints.githubUser ? `github.user "${hints.githubUser}"` : 'no github.user',
    hints.email ? `user.email "${hints.email}"` : 'no user.email',
    hints.name ? `user.name "${hints.name}"` : 'no user.name',
  ].join(', ');
  return { why: `cannot tell who you are in people.yaml (${tried}): pass --as LOGIN, or set git config github.user LOGIN` };
}
