import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { AccessRepo } from '../model.js';
import { isLive } from '../plan/plan-iam.js';
import { resourceTarget, type ResourceTarget } from '../plan/resource-target.js';

/** One thing an IAM user holds, and what in the repository (if anything) gives it. */
export interface UserAttachment {
  user: string;
  kind: ResourceTarget['kind'];
  /** Policy ARN, group name or inline policy name. */
  target: string;
  /** The person whose `aws.user` this is. */
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

/** Sorts every attachment of every IAM user of one system into granted, expired and unmanaged. */
export function explainUserAccess(repo: AccessRepo | undefined, systemId: string, snapshot: AccountSnapshot, now: Date): UserAttachment[] {
  const resourcesByTarget = new Map<string, string[]>();
  const key = (kind: string, name: string) => `${kind}\u0000${name}`;
  for (const { value } of repo?.resources.values() ?? []) {
    if (value.system !== systemId) continue;
    const target = resourceTarget(value.id, value.grants);
    const k = key(target.kind, target.name);
    resourcesByTarget.set(k, [...(resourcesByTarget.get(k) ?? []), value.id]);
  }
  const personOf = new Map<string, string>();
  for (const [login, { value }] of repo?.people ?? []) if (value.aws?.user) personOf.set(value.aws.user, login);
  const grantsOf = new Map<string, { file: string; live: boolean }[]>();
  for (const [file, { value }] of repo?.grants ?? []) {
    const k = `${value.user}\u0000${value.resource}`;
    grantsOf.set(k, [...(grantsOf.get(k) ?? []), { file, live: isLive(value, now) }]);
  }

  const out: UserAttachment[] = [];
  for (const user of snapshot.UserDetailList) {
    const person = personOf.get(user.UserName);
    const held: { kind: ResourceTarget['kind']; target: string }[] = [
      ...(user.AttachedManagedPolicies ?? []).map((p) => ({ kind: 'policy' as const, target: p.PolicyArn })),
      ...(user.GroupList ?? []).map((g) => ({ kind: 'group' as const, target: g })),
      ...(user.UserPolicyList ?? []).map((p) => ({ kind: 'inline' as const, target: p.PolicyName })),
    ];
    for (const { kind, target } of held) {
      const resources = resourcesByTarget.get(key(kind, target)) ?? [];
      const grants = person ? resources.flatMap((r) => grantsOf.get(`${person}\u0000${r}`) ?? []) : [];
      const status = grants.some((g) => g.live) ? 'granted' : grants.length > 0 ? 'expired-grant' : 'unmanaged';
      out.push({ user: user.UserName, kind, target, ...(person ? { person } : {}), status, grants: grants.map((g) => g.file).sort(), resources });
    }
  }
  return out;
}
