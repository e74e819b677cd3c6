import { managerChain } from '../manager-chain.js';
import type { AccessRepo } from '../model.js';
import { sameLogin } from './login-key.js';

export type OnBehalfResult =
  | { allowed: true; why: string }
  | { allowed: false; why: string };

/**
 * DESIGN §3 rule 5: a requester asks for themselves. Asking on someone else's behalf is allowed to that
 * person's manager, at any level up, and to org owners; anyone else asking on behalf is an error (not a
 * missing approval: no review can make it right).
 */
export function checkOnBehalf(repo: AccessRepo, author: string, grantee: string, claimed = false): OnBehalfResult {
  if (sameLogin(author, grantee)) return { allowed: true, why: `${author} asks for themselves${claimed ? ' (as configured, not proven)' : ''}` };
  // A configured identity is taken at its word only for asking for oneself, which lowers nothing: it
  // never stands for a manager or an org owner (DESIGN §3 rule 5; see docs/decisions).
  if (claimed) {
    return {
      allowed: false,
      why: `the author "${author}" is only configured (git config github.user), not proven, and asking on behalf of ${grantee} needs a proven author: pass --author, or run check from the pull request's workflow`,
    };
  }
  const chain = managerChain(repo.people, grantee);
  const level = chain.findIndex((m) => sameLogin(m, author));
  if (level === 0) return { allowed: true, why: `${author} asks on behalf of ${grantee} as their manager` };
  if (level > 0) {
    return { allowed: true, why: `${author} asks on behalf of ${grantee} as a manager ${level + 1} levels up (${[grantee, ...chain.slice(0, level + 1)].join(' -> ')})` };
  }
  const owners = repo.org?.value.owners ?? [];
  if (owners.some((o) => sameLogin(o, author))) return { allowed: true, why: `${author} asks on behalf of ${grantee} as an org owner` };
  return {
    allowed: false,
    why: `${author} asks on behalf of ${grantee} but is neither ${grantee}'s manager at any level (${chain.join(' -> ') || 'none'}) nor an org owner (${owners.join(', ') || 'none'}): ${grantee} should open the request, or their manager`,
  };
}
