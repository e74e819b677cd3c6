import type { AccountSnapshot } from '../iam/account-snapshot.js';
import { DEFAULT_QUOTAS, quotaOf } from '../plan/account-quotas.js';
import { shellQuote, type EntitlementKind, type Holdings } from './entitlement-kind.js';

export function isAwsManagedPolicy(arn: string): boolean {
  return /^arn:aws[a-z-]*:iam::aws:policy\//.test(arn);
}

/** `grants: { managedPolicy: ARN }`: the policy attached to the user. */
export const managedPolicy: EntitlementKind<AccountSnapshot> = {
  id: 'policy',
  accepts: (grants) => 'managedPolicy' in grants,
  targetsOf: (resource) => [{ kind: 'policy', name: (resource.grants as { managedPolicy: string }).managedPolicy }],
  holdings(snapshot): Holdings {
    return new Map(snapshot.UserDetailList.map((u) => [u.UserName, new Map((u.AttachedManagedPolicies ?? []).map((p) => [p.PolicyArn, {}]))]));
  },
  findMissing(snapshot, target) {
    if (isAwsManagedPolicy(target.name) || snapshot.Policies.some((p) => p.Arn === target.name)) return undefined;
    return { rule: 'plan/unknown-policy', message: `managed policy "${target.name}" does not exist` };
  },
  ownedByName: false,
  addAction: 'attach-user-policy',
  removeAction: 'detach-user-policy',
  quota: {
    rule: 'plan/quota-attached-policies',
    limit: (snapshot) => quotaOf(snapshot.SummaryMap, 'AttachedPoliciesPerUserQuota', DEFAULT_QUOTAS.attachedPoliciesPerUser),
    measure: (held) => held.size,
    message: (user, used, limit) => `IAM user "${user}" would have ${used} attached managed policies; the account allows ${limit} per user`,
  },
  applyToSnapshot(snapshot, op) {
    const user = snapshot.UserDetailList.find((u) => u.UserName === op.principal);
    if (!user) return `IAM user "${op.principal}" does not exist`;
    const policy = snapshot.Policies.find((p) => p.Arn === op.target);
    const attached = user.AttachedManagedPolicies ?? [];
    const isAttached = attached.some((p) => p.PolicyArn === op.target);
    if (op.action === 'detach-user-policy') {
      if (!isAttached) return undefined;
      user.AttachedManagedPolicies = attached.filter((p) => p.PolicyArn !== op.target);
      if (policy?.AttachmentCount) policy.AttachmentCount -= 1;
      return undefined;
    }
    if (isAttached) return undefined;
    if (!policy && !isAwsManagedPolicy(op.target)) return `managed policy "${op.target}" does not exist`;
    user.AttachedManagedPolicies = [...attached, { PolicyName: policy?.PolicyName ?? op.target.slice(op.target.lastIndexOf('/') + 1), PolicyArn: op.target }];
    if (policy) policy.AttachmentCount = (policy.AttachmentCount ?? 0) + 1;
    return undefined;
  },
  cliCommand: (op) => `aws iam ${op.action} --user-name ${shellQuote(op.principal)} --policy-arn ${shellQuote(op.target)}`,
  describe: (target) => `managed policy ${target.name}`,
  riskOf(resource, { principals }) {
    const arn = (resource.grants as { managedPolicy: string }).managedPolicy;
    if (!principals) return { policies: [], unresolved: ['no account read-out to find its policy in'] };
    const permissions = principals.managedPermissions(arn);
    return permissions ? { policies: [permissions], unresolved: [] } : { policies: [], unresolved: [`managed policy ${arn} is not in the account read-out`] };
  },
};
