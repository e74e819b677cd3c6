import type { AccountSnapshot } from '../../src/core/iam/account-snapshot.js';
import type { PolicyDocument } from '../../src/core/model.js';

export const ACCOUNT_ID = '111122223333';

export interface UserSpec {
  policies?: string[];
  groups?: string[];
  inline?: Record<string, PolicyDocument>;
}

/** A small account written inline: users by name with what they hold, plus the groups and local policies that exist. */
export function account(users: Record<string, UserSpec>, extra: { groups?: string[]; localPolicies?: string[]; summary?: Record<string, number>; accountId?: string } = {}): AccountSnapshot {
  const id = extra.accountId ?? ACCOUNT_ID;
  const snapshot: AccountSnapshot = {
    UserDetailList: Object.entries(users).map(([name, spec]) => ({
      UserName: name,
      Arn: `arn:aws:iam::${id}:user/${name}`,
      GroupList: spec.groups ?? [],
      AttachedManagedPolicies: (spec.policies ?? []).map((arn) => ({ PolicyArn: arn, PolicyName: arn.slice(arn.lastIndexOf('/') + 1) })),
      UserPolicyList: Object.entries(spec.inline ?? {}).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })),
    })),
    GroupDetailList: (extra.groups ?? []).map((name) => ({ GroupName: name, Arn: `arn:aws:iam::${id}:group/${name}` })),
    RoleDetailList: [],
    Policies: (extra.localPolicies ?? []).map((name) => ({ PolicyName: name, Arn: `arn:aws:iam::${id}:policy/${name}`, PolicyVersionList: [] })),
  };
  if (extra.summary) snapshot.SummaryMap = extra.summary;
  return snapshot;
}

export const awsPolicy = (name: string) => `arn:aws:iam::aws:policy/${name}`;
