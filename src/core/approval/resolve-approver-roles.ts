import { managerChain } from '../manager-chain.js';
import type { AccessRepo, Resource } from '../model.js';
import type { CountedApproval, RoleEvaluation } from './approval-result.js';
import { loginKey, sameLogin } from './login-key.js';

export interface RoleContext {
  /** The rules (people, org) of the base. */
  repo: AccessRepo;
  resource: Resource;
  grantee: string;
  author: string;
  /** Approvals of the head commit that count, keyed by lower-cased login. */
  approvals: ReadonlyMap<string, CountedApproval>;
}

/**
 * DESIGN §3 rule 3: who can fill each role a sensitivity names.
 * - `manager`: the grantee's manager; when that is the author or the grantee, the next manager up.
 * - `owner`: any owner of the resource.
 * - any other role (e.g. `executive`): anyone in people.yaml holding it.
 * Nobody's approval counts for a grant when they are its author or its grantee. One person holding two
 * roles may fill both (see docs/decisions).
 */
export function resolveApproverRoles(roles: readonly string[], ctx: RoleContext): RoleEvaluation[] {
  return roles.map((role) => evaluateRole(role, ctx));
}

function evaluateRole(role: string, ctx: RoleContext): RoleEvaluation {
  const { candidates, why } = findCandidates(role, ctx);
  return fillRole(role, candidates, why, ctx.approvals);
}

/** Meets a role with the first candidate who approved the head commit. */
export function fillRole(role: string, candidates: string[], why: string, approvals: ReadonlyMap<string, CountedApproval>): RoleEvaluation {
  const by = candidates.find((login) => approvals.has(loginKey(login)));
  if (by !== undefined) {
    return { role, status: 'satisfied', satisfiedBy: by, candidates, why: `${why}; ${by} approved the head commit` };
  }
  if (candidates.length === 0) {
    return { role, status: 'missing', candidates, why: `${why}; nobody can approve as ${role}` };
  }
  return { role, status: 'missing', candidates, why: `${why}; waiting for an approval of the head commit from ${orList(candidates)}` };
}

function findCandidates(role: string, ctx: RoleContext): { candidates: string[]; why: string } {
  const { repo, resource, grantee, author } = ctx;
  const excluded = (login: string) => sameLogin(login, author) || sameLogin(login, grantee);
  const exclusionNote = (skipped: string[]) =>
    skipped.length === 0 ? '' : ` (${skipped.map((s) => `${s} is ${sameLogin(s, grantee) ? 'the grantee' : 'the author'}`).join(', ')})`;

  if (role === 'manager') {
    const chain = managerChain(repo.people, grantee);
    if (chain.length === 0) return { candidates: [], why: `manager: ${grantee} has no manager in people.yaml` };
    const index = chain.findIndex((login) => !excluded(login));
    if (index < 0) {
      return { candidates: [], why: `manager: every manager above ${grantee} (${chain.join(' -> ')}) is the author or the grantee` };
    }
    const chosen = chain[index]!;
    const why =
      index === 0
        ? `manager: ${chosen} manages ${grantee}`
        : `manager: ${chain[0]} manages ${grantee} but ${chain.slice(0, index).map((s) => `${s} is ${sameLogin(s, grantee) ? 'the grantee' : 'the author'}`).join(', ')}, so the role goes up to ${chosen}`;
    return { candidates: [chosen], why };
  }
  if (role === 'owner') {
    const skipped = resource.owners.filter(excluded);
    return {
      candidates: resource.owners.filter((o) => !excluded(o)),
      why: `owner: ${resource.id} is owned by ${resource.owners.join(', ') || 'nobody'}${exclusionNote(skipped)}`,
    };
  }
  const holders = roleHolders(repo).get(role) ?? [];
  const skipped = holders.filter(excluded);
  return {
    candidates: holders.filter((h) => !excluded(h)),
    why: `${role}: held by ${holders.join(', ') || 'nobody in people.yaml'}${exclusionNote(skipped)}`,
  };
}

export function orList(logins: readonly string[]): string {
  if (logins.length <= 1) return logins.join('');
  return `${logins.slice(0, -1).join(', ')} or ${logins[logins.length - 1]}`;
}

const holdersByPeople = new WeakMap<AccessRepo['people'], Map<string, string[]>>();

/** Who holds each role, computed once per rule set rather than once per grant. */
function roleHolders(repo: AccessRepo): Map<string, string[]> {
  let holders = holdersByPeople.get(repo.people);
  if (!holders) {
    holders = new Map();
    for (const { value } of repo.people.values()) {
      for (const role of value.roles ?? []) {
        const list = holders.get(role);
        if (list) list.push(value.login);
        else holders.set(role, [value.login]);
      }
    }
    holdersByPeople.set(repo.people, holders);
  }
  return holders;
}
