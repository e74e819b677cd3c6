import type { AccountSnapshot } from '../iam/account-snapshot.js';
import { DEFAULT_QUOTAS, quotaOf } from '../plan/account-quotas.js';
import { shellQuote, type EntitlementKind, type Holdings } from './entitlement-kind.js';

/** `grants: { group: NAME }`: the user a member of the IAM group. */
export const groupMembership: EntitlementKind<AccountSnapshot> = {
  id: 'group',
  accepts: (grants) => 'group' in grants,
  targetsOf: (resource) => [{ kind: 'group', name: (resource.grants as { group: string }).group }],
  holdings(snapshot): Holdings {
    return new Map(snapshot.UserDetailList.map((u) => [u.UserName, new Map((u.GroupList ?? []).map((g) => [g, {}]))]));
  },
  findMissing(snapshot, target) {
    if (snapshot.GroupDetailList.some((g) => g.GroupName === target.name)) return undefined;
    return { rule: 'plan/unknown-group', message: `IAM group "${target.name}" does not exist` };
  },
  ownedByName: false,
  addAction: 'add-user-to-group',
  removeAction: 'remove-user-from-group',
  quota: {
    rule: 'plan/quota-groups',
    limit: (snapshot) => quotaOf(snapshot.SummaryMap, 'GroupsPerUserQuota', DEFAULT_QUOTAS.groupsPerUser),
    measure: (held) => held.size,
    message: (user, used, limit) => `IAM user "${user}" would be in ${used} groups; the account allows ${limit} per user`,
  },
  applyToSnapshot(snapshot, op) {
    const user = snapshot.UserDetailList.find((u) => u.UserName === op.principal);
    if (!user) return `IAM user "${op.principal}" does not exist`;
    if (op.action === 'remove-user-from-group') {
      user.GroupList = (user.GroupList ?? []).filter((g) => g !== op.target);
      return undefined;
    }
    if (!snapshot.GroupDetailList.some((g) => g.GroupName === op.target)) return `IAM group "${op.target}" does not exist`;
    const groups = (user.GroupList ??= []);
    if (!groups.includes(op.target)) groups.push(op.target);
    return undefined;
  },
  cliCommand: (op) => `aws iam ${op.action} --user-name ${shellQuote(op.principal)} --group-name ${shellQuote(op.target)}`,
  describe: (target) => `group ${target.name}`,
  riskOf(resource, { principals }) {
    const name = (resource.grants as { group: string }).group;
    if (!principals) return { policies: [], unresolved: ['no account read-out to find its policy in'] };
    const group = principals.find('group', name);
    if (!group) return { policies: [], unresolved: [`group ${name} is not in the account read-out`] };
    return { policies: group.policies.map((p) => p.permissions), unresolved: group.unresolved.map((arn) => `group ${name}'s policy ${arn} is not in the account read-out`) };
  },
};
