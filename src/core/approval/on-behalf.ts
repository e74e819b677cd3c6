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
export function checkOnBehalf(repo: AccessRepo, author: string, grantee: string): OnBehalfResult {
  if (sameLogin(author, grantee)) return { allowed: true, why: `${author} asks for themselves` };
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
