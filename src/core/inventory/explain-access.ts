import { holdingName, type EntitlementKind, type Holdings } from '../entitlements/entitlement-kind.js';
import { ENTITLEMENT_KINDS } from '../entitlements/registry.js';
import type { AccessRepo } from '../model.js';
import { isLive } from '../plan/plan-iam.js';
import type { SystemSnapshot, SystemType } from '../systems/system-type.js';

/**
 * One thing a principal of a system holds (an IAM user's policy, group or inline policy, a role it may
 * assume; an Identity Center user's or group's assignment of a permission set in an account), and what
 * in the repository (if anything) gives it.
 */
export interface UserAttachment {
  /** The principal holding it, as the system names it: an IAM user, an Identity Center user or group. */
  user: string;
  /** `group`: an Identity Center group holds it (grantops grants to people, never to groups); absent: a user. */
  principalType?: 'group';
  /** The entitlement kind's id (`policy`, `group`, `inline`, `role`, `permission-set`). */
  kind: string;
  /** Policy ARN, group name, inline policy name, role name, permission set name. */
  target: string;
  /** The AWS account of the holding, for kinds that reach many accounts from one system. */
  account?: string;
  /** The person of people.yaml this principal is (matched as the planner does). */
  person?: string;
  /**
   * - `granted`: a live grant gives it;
   * - `expired-grant`: only grants that are no longer live name it (the next expire or apply run removes it);
   * - `unmanaged`: nothing in the repository gives it.
   */
  status: 'granted' | 'expired-grant' | 'unmanaged';
  /** The grant files that name it. */
  grants: string[];
  /** The resources of this system that hand it out. */
  resources: string[];
}

/** Each person of people.yaml by their principal name in the system (as the planner names them). */
export function peopleByPrincipal(repo: AccessRepo | undefined, type: Pick<SystemType<SystemSnapshot>, 'principalOf'>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [login, { value }] of repo?.people ?? []) {
    const principal = type.principalOf(value);
    if ('name' in principal && !out.has(principal.name)) out.set(principal.name, login);
  }
  return out;
}

const key = (kind: string, holding: string) => `${kind}\u0000${holding}`;

/**
 * Sorts everything the principals of one system hold into granted, expired and unmanaged, over the
 * system type's kinds of entitlement: each kind says what is held (`holdings`, and `groupHoldings` where
 * groups hold it too) and what a resource hands out (`targetsOf`); the type says which person a
 * principal is (`principalOf`). Nothing here knows a kind or a type by name.
 */
export function explainAccess(repo: AccessRepo | undefined, systemId: string, type: SystemType<SystemSnapshot>, snapshot: SystemSnapshot, now: Date): UserAttachment[] {
  const resourcesByHolding = new Map<string, string[]>();
  for (const { value } of repo?.resources.values() ?? []) {
    if (value.system !== systemId) continue;
    const kind = type.kinds.find((k) => k.accepts(value.grants));
    for (const target of kind?.targetsOf(value) ?? []) {
      const k = key(target.kind, holdingName(target));
      resourcesByHolding.set(k, [...new Set([...(resourcesByHolding.get(k) ?? []), value.id])]);
    }
  }
  const personOf = peopleByPrincipal(repo, type);
  const grantsOf = new Map<string, { file: string; live: boolean }[]>();
  for (const [file, { value }] of repo?.grants ?? []) {
    const k = `${value.user}\u0000${value.resource}`;
    grantsOf.set(k, [...(grantsOf.get(k) ?? []), { file, live: isLive(value, now) }]);
  }

  const explain = (kind: EntitlementKind<SystemSnapshot>, holdings: Holdings, group: boolean): UserAttachment[] =>
    [...holdings].flatMap(([principal, held]) =>
      [...held].map(([holding, { account }]): UserAttachment => {
        const resources = resourcesByHolding.get(key(kind.id, holding)) ?? [];
        const person = group ? undefined : personOf.get(principal);
        const grants = person ? resources.flatMap((r) => grantsOf.get(`${person}\u0000${r}`) ?? []) : [];
        const status = grants.some((g) => g.live) ? 'granted' : grants.length > 0 ? 'expired-grant' : 'unmanaged';
        return {
          user: principal,
          ...(group ? { principalType: 'group' as const } : {}),
          kind: kind.id,
          target: account ? holding.slice(0, -(account.length + 1)) : holding,
          ...(account ? { account } : {}),
          ...(person ? { person } : {}),
          status,
          grants: grants.map((g) => g.file).sort(),
          resources,
        };
      }),
    );

  // Principals in the system's own order (users as it lists them, then groups), kinds in the type's order.
  const users = type.kinds.flatMap((kind) => explain(kind, kind.holdings(snapshot), false));
  const order = new Map([...type.principals(snapshot), ...users.map((a) => a.user)].map((name, i) => [name, i] as const).reverse());
  const groups = type.kinds.flatMap((kind) => (kind.groupHoldings ? explain(kind, kind.groupHoldings(snapshot), true) : []));
  return [...users.sort((a, b) => order.get(a.user)! - order.get(b.user)!), ...groups];
}

/** How a person reads what is held: `managed policy arn:…`, `permission set ReadOnlyAccess in account 1111…`. */
export function describeAttachment(a: Pick<UserAttachment, 'kind' | 'target' | 'account'>): string {
  return ENTITLEMENT_KINDS.find((k) => k.id === a.kind)?.describe({ name: a.target, ...(a.account ? { account: a.account } : {}) }) ?? `${a.kind} ${a.target}`;
}

/** Who holds it, for messages: `jerry@vandelay.example`, `group platform-admins`. */
export function describeHolder(a: Pick<UserAttachment, 'user' | 'principalType'>): string {
  return a.principalType === 'group' ? `group ${a.user}` : a.user;
}
