import { diagnostic, START } from '../diagnostic.js';
import { holdingName, type EntitlementKind, type EntitlementTarget, type Holdings } from '../entitlements/entitlement-kind.js';
import type { AccessRepo, GrantFile, Resource, Sourced, SystemConfig } from '../model.js';
import { systemTypeOf } from '../systems/registry.js';
import type { SystemSnapshot } from '../systems/system-type.js';
import { locate } from '../yaml-source.js';
import { isSystemProblem, type AccessPlan } from './access-plan.js';
import { checkQuotas } from './check-quotas.js';
import { findForeignSnapshotProblem } from './foreign-snapshot.js';
import { isRemoval, type IamOperation } from './iam-operation.js';
import { holdingKey } from './resource-target.js';

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

/** A grant that wants a principal to hold a target now. */
interface Claim {
  file: string;
  grant: Sourced<GrantFile>;
  resource: Resource;
  target: EntitlementTarget;
  principal: string;
}

/** What is known of a principal's grant for a resource that is not live any more. */
interface PastGrant {
  file: string | null;
  reason: string;
}

/** A grant gives access while it is active and its access expiry lies after now. */
export function isLive(grant: GrantFile, now: Date): boolean {
  return grant.status === 'active' && Date.parse(grant.expires) > now.getTime();
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
export function planIam(repo: AccessRepo, accounts: ReadonlyMap<string, SystemSnapshot>, options: PlanIamOptions): AccessPlan {
  const plan: AccessPlan = { systems: [...accounts.keys()], operations: [], manual: [], problems: [] };
  const declared = declaredBySystem(repo);
  for (const [systemId, snapshot] of accounts) {
    const system = repo.org?.value.systems[systemId];
    if (!system) {
      plan.problems.push(diagnostic(repo.org?.file ?? `${repo.dir}/grantops.yaml`, START, 'plan/unknown-system', `no system "${systemId}" in grantops.yaml`));
      continue;
    }
    const planned = planSystem(repo, systemId, system, snapshot, declared.get(systemId) ?? { resources: [], grants: [] }, options);
    if (planned.problems.some(isSystemProblem)) plan.withheldSystems = [...(plan.withheldSystems ?? []), systemId];
    plan.operations.push(...planned.operations);
    plan.manual.push(...planned.manual);
    plan.problems.push(...planned.problems);
  }
  plan.operations.sort(compareOperations);
  plan.manual.sort(compareOperations);
  return plan;
}

/** A system's resources and their grants, in id and file order. */
interface Declared {
  resources: Sourced<Resource>[];
  grants: [string, Sourced<GrantFile>][];
}

/** Every system's resources and grants, sorted out in one pass (an organisation has hundreds of systems). */
function declaredBySystem(repo: AccessRepo): Map<string, Declared> {
  const out = new Map<string, Declared>();
  const of = (system: string) => out.get(system) ?? out.set(system, { resources: [], grants: [] }).get(system)!;
  for (const resource of repo.resources.values()) of(resource.value.system).resources.push(resource);
  for (const entry of repo.grants) {
    const system = repo.resources.get(entry[1].value.resource)?.value.system;
    if (system !== undefined) of(system).grants.push(entry);
  }
  for (const d of out.values()) {
    d.resources.sort((a, b) => a.value.id.localeCompare(b.value.id));
    d.grants.sort(([a], [b]) => a.localeCompare(b));
  }
  return out;
}

function planSystem(repo: AccessRepo, systemId: string, system: SystemConfig, snapshot: SystemSnapshot, { resources, grants }: Declared, options: PlanIamOptions): Omit<AccessPlan, 'systems'> {
  const out: Omit<AccessPlan, 'systems'> = { operations: [], manual: [], problems: [] };
  const type = systemTypeOf(system);

  const foreign = findForeignSnapshotProblem(repo, systemId, system, snapshot);
  if (foreign) {
    out.problems.push(foreign);
    return out;
  }

  const principals = type.principals(snapshot);
  const holdingsByKind = new Map<EntitlementKind<SystemSnapshot>, Holdings>();
  const holdingsOf = (kind: EntitlementKind<SystemSnapshot>) => {
    if (!holdingsByKind.has(kind)) holdingsByKind.set(kind, kind.holdings(snapshot));
    return holdingsByKind.get(kind)!;
  };
  const kindOf = (resource: Pick<Resource, 'grants'>) => type.kinds.find((k) => k.accepts(resource.grants));

  const resourceIds = new Set(resources.map((r) => r.value.id));
  const principalOf = (login: string) => {
    const person = repo.people.get(login)?.value;
    return person ? type.principalOf(person) : { missing: 'is not in people.yaml' };
  };

  // Who wants what now, keyed by the holding, across every resource of the system (shared coverage).
  const wanted = new Map<string, Claim[]>();
  const claimsOf = new Map<string, Claim[]>();
  // Who had a grant for a resource that is not live: the only principals a non-exclusive resource may lose.
  const past = new Map<string, PastGrant>();
  const pastKey = (resource: string, principal: string) => `${resource}\u0000${principal}`;

  for (const [file, grant] of grants) {
    const resource = repo.resources.get(grant.value.resource)!.value;
    const principal = principalOf(grant.value.user);
    if ('missing' in principal) {
      // validate refuses this for automatic resources; for manual ones the steps need a principal too.
      out.problems.push(diagnostic(file, locate(grant.source, ['user']), 'plan/no-aws-user', `"${grant.value.user}" ${principal.missing}, so the steps for "${resource.id}" cannot name ${withArticle(type.principalNoun)}`, 'warning'));
      continue;
    }
    const kind = kindOf(resource);
    if (!kind) continue;
    if (isLive(grant.value, options.now)) {
      for (const target of kind.targetsOf(resource, { grant: grant.value, principal: principal.name, snapshot })) {
        const key = holdingKey(target.kind, principal.name, holdingName(target));
        const claim = { file, grant, resource, target, principal: principal.name };
        wanted.set(key, [...(wanted.get(key) ?? []), claim]);
        claimsOf.set(resource.id, [...(claimsOf.get(resource.id) ?? []), claim]);
      }
    } else {
      const reason = grant.value.status === 'expired' ? 'the grant has status expired' : `the grant expired at ${grant.value.expires}`;
      past.set(pastKey(resource.id, principal.name), { file, reason });
    }
  }
  for (const former of options.formerGrants ?? []) {
    const known = principalOf(former.user);
    const principal = former.iamUser ?? ('name' in known ? known.name : undefined);
    if (!principal || !resourceIds.has(former.resource)) continue;
    const key = pastKey(former.resource, principal);
    if (!past.has(key) && !wanted.has(key)) {
      past.set(key, { file: former.file ?? null, reason: `the grant of "${former.user}" for "${former.resource}" was removed` });
    }
  }

  const planned = new Set<string>();
  const emit = (resource: Resource, op: IamOperation) => {
    const key = `${op.action}\u0000${op.principal}\u0000${holdingName({ name: op.target, account: op.account })}`;
    if (planned.has(key)) return;
    planned.add(key);
    (resource.provision === 'manual' ? out.manual : out.operations).push(op);
  };

  for (const { value: resource, file: resourceFile } of resources) {
    const kind = kindOf(resource);
    if (!kind) {
      out.problems.push(diagnostic(resourceFile, START, 'plan/kind-not-in-system', `${resource.id}: a system of type "${type.type}" cannot hand out these grants`));
      continue;
    }
    const holdings = holdingsOf(kind);
    const manual = resource.provision === 'manual';
    const severity = manual ? 'warning' : 'error';

    // Additions: every live grant of this resource whose principal lacks its target.
    for (const claim of claimsOf.get(resource.id) ?? []) {
      const missing = principals.has(claim.principal)
        ? kind.findMissing?.(snapshot, claim.target)
        : { rule: 'plan/unknown-iam-user', message: `${type.principalNoun} "${claim.principal}" does not exist` };
      if (missing) {
        // Located only now: a grant's positions are parsed again on demand, too costly for every claim.
        out.problems.push(diagnostic(claim.file, locate(claim.grant.source, ['resource']), missing.rule, `${resource.id}: ${missing.message} in system "${systemId}"`, severity));
        continue;
      }
      const base = { system: systemId, principal: claim.principal, target: claim.target.name, ...accountOf(claim.target), ...refsOf(claim.target), resource: resource.id, grant: claim.file };
      const document = claim.target.document ? { document: claim.target.document } : {};
      const held = holdings.get(claim.principal)?.get(holdingName(claim.target));
      const difference = held && kind.findDifference?.(held, claim.target, resource.id);
      if (!held) emit(resource, { action: kind.addAction, ...base, reason: `granted until ${claim.grant.value.expires}`, ...document });
      else if (difference) emit(resource, { action: kind.addAction, ...base, reason: difference, ...document });
    }

    // Removals: holders nobody wants any more, when grantops may take the target from them.
    const declared = new Set(kind.targetsOf(resource).map(holdingName));
    for (const [principal, held] of holdings) {
      if (![...declared].some((name) => held.has(name))) continue;
      for (const target of kind.targetsOf(resource, { principal, snapshot })) {
        if (!held.has(holdingName(target)) || wanted.has(holdingKey(target.kind, principal, holdingName(target)))) continue;
        const had = past.get(pastKey(resource.id, principal));
        if (!had && !kind.ownedByName && !resource.exclusive) continue;
        const reason = had?.reason ?? (kind.ownedByName ? `drift: grantops's ${kind.describe(target)} for ${resource.id} with no live grant` : `drift: exclusive resource ${resource.id} has no grant for this ${type.principalNoun}`);
        const document = kind.removalDocument?.(principal, target, options.now);
        const said = kind.removalNote ? `${reason}; removing it ${kind.removalNote}` : reason;
        emit(resource, { action: kind.removeAction, system: systemId, principal, target: target.name, ...accountOf(target), ...refsOf(target), resource: resource.id, grant: had?.file ?? null, reason: said, ...(had ? {} : { drift: true }), ...(document ? { document } : {}) });
      }
    }
  }

  const locateGrant = (file: string) => locate(repo.grants.get(file)?.source, ['resource']);
  out.problems.push(...checkQuotas(out.operations, type.kinds, holdingsOf, snapshot, locateGrant));
  return out;
}

function accountOf(target: { account?: string }): { account?: string } {
  return target.account ? { account: target.account } : {};
}

function refsOf(target: { refs?: Record<string, string> }): { refs?: Record<string, string> } {
  return target.refs ? { refs: target.refs } : {};
}

function withArticle(noun: string): string {
  return `${/^[aeiouAEIOU]/.test(noun) ? 'an' : 'a'} ${noun}`;
}
