/** The account limits a plan must stay within, as `GetAccountSummary`'s SummaryMap names them. */
export interface AccountQuotas {
  attachedPoliciesPerUser: number;
  groupsPerUser: number;
  /** Characters (whitespace not counted) of all inline policies of one user together. */
  userPolicySize: number;
}

/** AWS's defaults; the file provider uses them when its state has no SummaryMap. */
export const DEFAULT_QUOTAS: AccountQuotas = { attachedPoliciesPerUser: 10, groupsPerUser: 10, userPolicySize: 2048 };

/** A quota of the account summary, or AWS's default when it is absent or not a positive number. */
export function quotaOf(summary: Readonly<Record<string, number>> | undefined, key: string, fallback: number): number {
  const value = summary?.[key];
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}
