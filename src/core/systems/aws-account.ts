import { groupMembership } from '../entitlements/group-membership.js';
import { inlinePolicy } from '../entitlements/inline-policy.js';
import { managedPolicy } from '../entitlements/managed-policy.js';
import { roleTrust } from '../entitlements/role-trust.js';
import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { SystemType } from './system-type.js';

/** The account ids a snapshot's ARNs name (AWS's own policies aside). */
export function accountIdsOf(snapshot: AccountSnapshot): Set<string> {
  const ids = new Set<string>();
  const arns = [...snapshot.UserDetailList, ...snapshot.GroupDetailList, ...snapshot.RoleDetailList].map((e) => e.Arn);
  for (const arn of arns) {
    const id = arn?.split(':')[4];
    if (id && id !== 'aws') ids.add(id);
  }
  return ids;
}

/** `type: aws`: one AWS account's IAM, where people are IAM users. */
export const awsAccount: SystemType<AccountSnapshot> = {
  type: 'aws',
  configFields: ['accountId'],
  kinds: [managedPolicy, groupMembership, inlinePolicy, roleTrust],
  principalNoun: 'IAM user',
  principalOf: (person) => (person.aws?.user ? { name: person.aws.user } : { missing: 'has no aws.user in people.yaml' }),
  principals: (snapshot) => new Set(snapshot.UserDetailList.map((u) => u.UserName)),
  findForeignSnapshot(config, snapshot) {
    if (config.type !== 'aws') return undefined;
    if (snapshot.IdentityCenter) return { field: 'type', message: 'is an IAM account, but the state read is an Identity Center instance' };
    const ids = accountIdsOf(snapshot);
    if (ids.size === 0 || ids.has(config.accountId)) return undefined;
    return { field: 'accountId', message: `is account ${config.accountId}, but the IAM read names account ${[...ids].join(', ')}` };
  },
};
