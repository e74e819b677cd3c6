import { diagnostic, START, type Diagnostic } from '../diagnostic.js';
import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { AccessRepo, AwsSystem, GrantFile, Resource, Sourced } from '../model.js';
import { locate } from '../yaml-source.js';
import { quotasOf } from './account-quotas.js';
import { indexAccount, type AccountHoldings, type UserHoldings } from './account-holdings.js';
import type { AccessPlan } from './access-plan.js';
import { checkQuotas } from './check-quotas.js';
import { isRemoval, type IamAction, type IamOperation } from './iam-operation.js';
import { samePolicy } from './policy-size.js';
import { holdingKey, isAwsManagedPolicy, resourceTarget, type ResourceTarget } from './resource-target.js';

/** A grant that existed before (e.g. at the previous commit) and may have been deleted since. */
export interface FormerGrant {
  /** The person's login. */
  user: string;
  resource: string;
  /** The grant file it was in. */
  file?: string;
  /** The IAM user, when the person has left people.yaml too. */
  iamUser?: string;
}

export interface PlanIamOptions {
  now: Date;
  formerGrants?: readonly FormerGrant[];
}

/** A grant that wants a user to hold a target now. */
interface Claim {
  file: string;
  grant: Sourced<GrantFile>;
  resource: Resource;
  target: ResourceTarget;
  iamUser: string;
}

/** What is known of a user's grant for a resource that is not live any more. */
interface PastGrant {
  file: string | null;
  reason: string;
}

const ADD_ACTION: Record<ResourceTarget['kind'], IamAction> = { policy: 'attach-user-policy', group: 'add-user-to-group', inline: 'put-user-policy' };
const REMOVE_ACTION: Record<ResourceTarget['kind'], IamAction> = { policy: 'detach-user-policy', group: 'remove-user-from-group', inline: 'delete-user-policy' };

/** A grant gives access while it is active and its access expiry lies after now. */
export function isLive(grant: GrantFile, now: Date): boolean {
  return grant.status === 'active' && Date.parse(grant.expires) > now.getTime();
}

function holds(user: UserHoldings, target: ResourceTarget): boolean {
  if (target.kind === 'policy') return user.policies.has(target.name);
  if (target.kind === 'group') return user.groups.has(target.name);
  return user.inline.has(target.name);
}

function compareOperations(a: IamOperation, b: IamOperation): number {
  const phase = Number(isRemoval(b)) - Number(isRemoval(a));
  if (phase !== 0) return phase;
  return a.system.localeCompare(b.system) || a.principal.localeCompare(b.principal) || a.action.localeCompare(b.action) || a.target.localeCompare(b.target);
}

/**
 * Desired versus actual IAM (DESIGN §3, Apply). For each declared resource: add what a live grant wants
 * and the account lacks; remove what grantops granted and nobody wants any more. Who counts as
 * "granted by grantops" depends on the resource:
 * - an inline policy named `grantops-<resource id>` is grantops's own by its name;
 * - on a non-exclusive resource, only users who hold or held a grant for it in this repository;
 * - on an `exclusive: true` resource, every user holding it: holders nobody granted are drift.
 * A user keeps a target any live grant still wants, whichever resource it comes through. Entities and
 * attachments no resource declares are never looked at.
 */
export function planIam(repo: AccessRepo, accounts: ReadonlyMap<string, AccountSnapshot>, options: PlanIamOptions): AccessPlan {
  const plan: AccessPlan = { systems: [...accounts.keys()], operations: [], manual: [], problems: [] };
  for (const [systemId, snapshot] of accounts) {
    const system = repo.org?.value.systems[systemId];
    if (!system) {
      plan.problems.push(diagnostic(repo.org?.file ?? `${repo.dir}/grantops.yaml`, START, 'plan/unknown-system', `no system "${systemId}" in grantops.yaml`));
      continue;
    }
    const planned = planSystem(repo, systemId, system, snapshot, options);
    plan.operations.push(...planned.operations);
    plan.manual.push(...planned.manual);
    plan.problems.push(...planned.problems);
  }
  plan.operations.sort(compareOperations);
  plan.manual.sort(compareOperations);
  return plan;
}

function planSystem(repo: AccessRepo, systemId: string, system: AwsSystem, snapshot: AccountSnapshot, options: PlanIamOptions): Omit<AccessPlan, 'systems'> {
  const out: Omit<AccessPlan, 'systems'> = { operations: [], manual: [], problems: [] };
  const account = indexAccount(snapshot);
  const orgFile = repo.org?.file ?? `${repo.dir}/grantops.yaml`;

  // A state or credentials for another account would turn every difference into a mutation.
  if (account.accountIds.size > 0 && !account.accountIds.has(system.accountId)) {
    out.problems.push(diagnostic(orgFile, locate(repo.org?.source, ['systems', systemId, 'accountId']), 'plan/wrong-account',
      `system "${systemId}" is account ${system.accountId}, but the IAM read names account ${[...account.accountIds].join(', ')}; refusing to plan against it`));
    return out;
  }

  const resources = [...repo.resources.values()].filter((r) => r.value.system === systemId).sort((a, b) => a.value.id.localeCompare(b.value.id));
  const resourceIds = new Set(resources.map((r) => r.value.id));
  const iamUserOf = (login: string) => repo.people.get(login)?.value.aws?.user;
  const grants = [...repo.grants].filter(([, g]) => resourceIds.has(g.value.resource)).sort(([a], [b]) => a.localeCompare(b));

  // Who wants what now, keyed by the holding, across every resource of the system (shared coverage).
  const wanted = new Map<string, Claim[]>();
  const claimsOf = new Map<string, Claim[]>();
  // Who had a grant for a resource that is not live: the only users a non-exclusive resource may lose.
  const past = new Map<string, PastGrant>();
  const pastKey = (resource: string, iamUser: string) => `${resource}\u0000${iamUser}`;

  for (const [file, grant] of grants) {
    const resource = repo.resources.get(grant.value.resource)!.value;
    const iamUser = iamUserOf(grant.value.user);
    if (!iamUser) {
      // validate refuses this for automatic resources; for manual ones the steps need a user name too.
      out.problems.push(diagnostic(file, locate(grant.source, ['user']), 'plan/no-aws-user', `"${grant.value.user}" has no aws.user in people.yaml, so the steps for "${resource.id}" cannot name an IAM user`, 'warning'));
      continue;
    }
    if (isLive(grant.value, options.now)) {
      const target = resourceTarget(resource.id, resource.grants);
      const key = holdingKey(target.kind, iamUser, target.name);
      const claim = { file, grant, resource, target, iamUser };
      wanted.set(key, [...(wanted.get(key) ?? []), claim]);
      claimsOf.set(resource.id, [...(claimsOf.get(resource.id) ?? []), claim]);
    } else {
      const reason = grant.value.status === 'expired' ? 'the grant has status expired' : `the grant expired at ${grant.value.expires}`;
      past.set(pastKey(resource.id, iamUser), { file, reason });
    }
  }
  for (const former of options.formerGrants ?? []) {
    const iamUser = former.iamUser ?? iamUserOf(former.user);
    if (!iamUser || !resourceIds.has(former.resource)) continue;
    const key = pastKey(former.resource, iamUser);
    if (!past.has(key) && !wanted.has(key)) {
      past.set(key, { file: former.file ?? null, reason: `the grant of "${former.user}" for "${former.resource}" was removed` });
    }
  }

  const planned = new Set<string>();
  const emit = (resource: Resource, op: IamOperation) => {
    const key = `${op.action}\u0000${op.principal}\u0000${op.target}`;
    if (planned.has(key)) return;
    planned.add(key);
    (resource.provision === 'manual' ? out.manual : out.operations).push(op);
  };

  for (const { value: resource } of resources) {
    const target = resourceTarget(resource.id, resource.grants);
    const manual = resource.provision === 'manual';
    const severity = manual ? 'warning' : 'error';

    // Additions: every live grant of this resource whose user lacks the target.
    for (const claim of claimsOf.get(resource.id) ?? []) {
      const at = locate(claim.grant.source, ['resource']);
      const user = account.users.get(claim.iamUser);
      const missing = findMissingEntity(account, target, claim.iamUser);
      if (missing) {
        out.problems.push(diagnostic(claim.file, at, missing.rule, `${resource.id}: ${missing.message} in system "${systemId}"`, severity));
        continue;
      }
      const base = { system: systemId, principal: claim.iamUser, target: target.name, resource: resource.id, grant: claim.file };
      if (!holds(user!, target)) {
        emit(resource, { action: ADD_ACTION[target.kind], ...base, reason: `granted until ${claim.grant.value.expires}`, ...(target.kind === 'inline' ? { document: target.document } : {}) });
      } else if (target.kind === 'inline' && !samePolicy(user!.inline.get(target.name)!, target.document)) {
        emit(resource, { action: 'put-user-policy', ...base, reason: `the inline policy differs from resource ${resource.id}'s document`, document: target.document });
      }
    }

    // Removals: holders nobody wants any more, when grantops may take the target from them.
    for (const user of account.users.values()) {
      if (!holds(user, target) || wanted.has(holdingKey(target.kind, user.name, target.name))) continue;
      const had = past.get(pastKey(resource.id, user.name));
      const ownedByName = target.kind === 'inline';
      if (!had && !ownedByName && !resource.exclusive) continue;
      const reason = had?.reason ?? (ownedByName ? `drift: grantops's inline policy for ${resource.id} with no live grant` : `drift: exclusive resource ${resource.id} has no grant for this user`);
      emit(resource, { action: REMOVE_ACTION[target.kind], system: systemId, principal: user.name, target: target.name, resource: resource.id, grant: had?.file ?? null, reason, ...(had ? {} : { drift: true }) });
    }
  }

  const locateGrant = (file: string) => locate(repo.grants.get(file)?.source, ['resource']);
  out.problems.push(...checkQuotas(out.operations, account.users, quotasOf(snapshot.SummaryMap), locateGrant));
  return out;
}

/** The IAM user, group or account policy a grant needs and the account lacks: grantops creates none. */
function findMissingEntity(account: AccountHoldings, target: ResourceTarget, iamUser: string): { rule: string; message: string } | undefined {
  if (!account.users.has(iamUser)) return { rule: 'plan/unknown-iam-user', message: `IAM user "${iamUser}" does not exist` };
  if (target.kind === 'group' && !account.groups.has(target.name)) return { rule: 'plan/unknown-group', message: `IAM group "${target.name}" does not exist` };
  if (target.kind === 'policy' && !isAwsManagedPolicy(target.name) && !account.policies.has(target.name)) {
    return { rule: 'plan/unknown-policy', message: `managed policy "${target.name}" does not exist` };
  }
  return undefined;
}
