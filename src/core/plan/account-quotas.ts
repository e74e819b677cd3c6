/** The account limits a plan must stay within, read from `GetAccountSummary`'s SummaryMap. */
export interface AccountQuotas {
  attachedPoliciesPerUser: number;
  groupsPerUser: number;
  /** Characters (whitespace not counted) of all inline policies of one user together. */
  userPolicySize: number;
}

/** AWS's defaults; the file provider uses them when its state has no SummaryMap. */
export const DEFAULT_QUOTAS: AccountQuotas = { attachedPoliciesPerUser: 10, groupsPerUser: 10, userPolicySize: 2048 };

export function quotasOf(summary: Record<string, number> | undefined): AccountQuotas {
  const pick = (key: string, fallback: number) => {
    const value = summary?.[key];
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
  };
  return {
    attachedPoliciesPerUser: pick('AttachedPoliciesPerUserQuota', DEFAULT_QUOTAS.attachedPoliciesPerUser),
    groupsPerUser: pick('GroupsPerUserQuota', DEFAULT_QUOTAS.groupsPerUser),
    userPolicySize: pick('UserPolicySizeQuota', DEFAULT_QUOTAS.userPolicySize),
  };
}
