import { managerChain } from '../manager-chain.js';
import type { AccessRepo, Resource } from '../model.js';
import { ORG_OWNER_ROLE, type CountedApproval, type RoleEvaluation } from './approval-result.js';
import { expandApprovers, isTeamRef, type TeamMembers } from './approver-pool.js';
import { loginKey, sameLogin } from './login-key.js';

export interface RoleContext {
  /** The rules (people, org) of the base. */
  repo: AccessRepo;
  resource: Resource;
  grantee: string;
  author: string;
  /** Approvals of the head commit that count, keyed by lower-cased login. */
  approvals: ReadonlyMap<string, CountedApproval>;
  /** Members of the teams the rules name (approver-pool.ts); absent when nobody could read them. */
  teams?: TeamMembers;
}

/**
 * DESIGN §3 rule 3: who can fill each role a sensitivity names.
 * - `manager`: the grantee's manager; when that is the author or the grantee, the next manager up.
 * - `owner`: any owner of the resource, or any member of a team that owns it.
 * - any other role (e.g. `executive`): anyone in people.yaml holding it.
 * Nobody's approval counts for a grant when they are its author or its grantee. One person holding two
 * roles may fill both (see docs/decisions). A role nobody else can fill goes to grantops.yaml's
 * `approvalFallback` when there is one (docs/decisions/0026); a team that can fill nothing is an error.
 */
export function resolveApproverRoles(roles: readonly string[], ctx: RoleContext): RoleEvaluation[] {
  return roles.map((role) => evaluateRole(role, ctx));
}

function evaluateRole(role: string, ctx: RoleContext): RoleEvaluation {
  const found = findCandidates(role, ctx);
  return withFallback(role, found, ctx, [ctx.author, ctx.grantee]);
}

export interface RoleCandidates {
  candidates: string[];
  why: string;
  /** Errors of the teams among the entries. */
  problems?: string[];
  /** True when a team is among the entries: then an unfilled role is an error rather than a wait. */
  hasTeam?: boolean;
}

/**
 * Fills a role from its candidates; when there are none, from the fallback (if grantops.yaml names one),
 * saying so. A team-based role nobody can fill, with no fallback to turn to, is an error.
 */
export function withFallback(role: string, found: RoleCandidates, ctx: Pick<RoleContext, 'repo' | 'approvals' | 'teams'>, excluded: readonly string[]): RoleEvaluation {
  const problems = [...(found.problems ?? [])];
  const fallbackName = ctx.repo.org?.value.approvalFallback;
  if (found.candidates.length > 0 || fallbackName === undefined) {
    const evaluation = fillRole(role, found.candidates, found.why, ctx.approvals);
    if (found.candidates.length === 0 && found.hasTeam && problems.length === 0) problems.push(`nobody can approve as ${role}: ${found.why}`);
    return problems.length > 0 ? { ...evaluation, problems } : evaluation;
  }
  const pool = fallbackCandidates(fallbackName, ctx, excluded);
  const why = `${found.why}; nobody else can approve as ${role}, so the approval fallback applies: ${pool.why}`;
  const evaluation = { ...fillRole(role, pool.candidates, why, ctx.approvals), fallback: fallbackName };
  problems.push(...(pool.problems ?? []));
  if (pool.candidates.length === 0 && (pool.problems ?? []).length === 0) problems.push(`nobody can approve as ${role}, not even the approval fallback ${fallbackName}: ${pool.why}`);
  return problems.length > 0 ? { ...evaluation, problems } : evaluation;
}

function fallbackCandidates(name: string, ctx: Pick<RoleContext, 'repo' | 'teams'>, excluded: readonly string[]): RoleCandidates {
  if (name === ORG_OWNER_ROLE || isTeamRef(name)) {
    const entries = name === ORG_OWNER_ROLE ? (ctx.repo.org?.value.owners ?? []) : [name];
    const pool = expandApprovers(entries, ctx.teams, excluded);
    return { candidates: pool.candidates, why: `${name === ORG_OWNER_ROLE ? 'the org owners' : name} (${pool.describe})`, problems: pool.problems };
  }
  const holders = roleHolders(ctx.repo).get(name) ?? [];
  const candidates = holders.filter((h) => !excluded.some((x) => sameLogin(x, h)));
  return { candidates, why: `the ${name} role (${holders.join(', ') || 'held by nobody'})` };
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

function findCandidates(role: string, ctx: RoleContext): RoleCandidates {
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
    const pool = expandApprovers(resource.owners, ctx.teams, [author, grantee]);
    const skipped = resource.owners.filter((o) => !isTeamRef(o) && excluded(o));
    return {
      candidates: pool.candidates,
      why: `owner: ${resource.id} is owned by ${pool.describe}${exclusionNote(skipped)}`,
      problems: pool.problems,
      hasTeam: pool.hasTeam,
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
