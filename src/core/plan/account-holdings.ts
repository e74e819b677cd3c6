import type { AccountSnapshot, UserDetail } from '../iam/account-snapshot.js';
import type { PolicyDocument } from '../model.js';

/** The account as plan looks at it: per user, what they hold. */
export interface AccountHoldings {
  users: Map<string, UserHoldings>;
  groups: Set<string>;
  /** ARNs of the managed policies the snapshot lists (the account's own, and any AWS ones it carries). */
  policies: Set<string>;
  /** The account ids the snapshot's ARNs name. */
  accountIds: Set<string>;
}

export interface UserHoldings {
  name: string;
  policies: Set<string>;
  groups: Set<string>;
  inline: Map<string, PolicyDocument>;
}

function accountOf(arn: string | undefined): string | undefined {
  return arn?.split(':')[4] || undefined;
}

function userHoldings(user: UserDetail): UserHoldings {
  return {
    name: user.UserName,
    policies: new Set((user.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn)),
    groups: new Set(user.GroupList ?? []),
    inline: new Map((user.UserPolicyList ?? []).map((p) => [p.PolicyName, p.PolicyDocument])),
  };
}

export function indexAccount(snapshot: AccountSnapshot): AccountHoldings {
  const accountIds = new Set<string>();
  const note = (arn: string | undefined) => {
    const id = accountOf(arn);
    if (id && id !== 'aws') accountIds.add(id);
  };
  const users = new Map<string, UserHoldings>();
  for (const user of snapshot.UserDetailList) {
    users.set(user.UserName, userHoldings(user));
    note(user.Arn);
  }
  const groups = new Set<string>();
  for (const group of snapshot.GroupDetailList) {
    groups.add(group.GroupName);
    note(group.Arn);
  }
  for (const role of snapshot.RoleDetailList) note(role.Arn);
  const policies = new Set(snapshot.Policies.map((p) => p.Arn));
  return { users, groups, policies, accountIds };
}
