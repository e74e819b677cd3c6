import type { AccountSnapshot } from '../iam/account-snapshot.js';
import { scoreIdentityCenterPrincipals, type IdentityCenterPrincipalRisk } from './identity-center-reach.js';
import type { IdentityCenterState } from '../identity-center/identity-center-state.js';
import type { PermissionSetPolicySource } from './permission-set-policies.js';
import { scorePermissionSet, type PermissionSetRisk } from './permission-set-risk.js';
import type { RiskScorer } from './risk-scorer.js';

export interface ScoredPermissionSet extends PermissionSetRisk {
  /** Account assignments of the set (users and groups). */
  assignments: { users: number; groups: number };
}

export interface IdentityCenterRiskReport {
  model: string;
  catalogue: string;
  /** When conditions on the clock were judged. */
  at?: string;
  instanceArn: string;
  /** Highest score first. */
  permissionSets: ScoredPermissionSet[];
  /** Users and groups by what their assignments let them become (with the IAM accounts' graphs), worst first. */
  principals: IdentityCenterPrincipalRisk[];
}

/**
 * Scores every permission set of an Identity Center instance in each account it is assigned in (to
 * anyone), its referenced policies found through `source`. A set assigned nowhere is scored for no
 * account: its customer managed references are then unresolved, and say so. With the IAM accounts'
 * read-outs (`accounts`, by account id), each user and group is scored by what its assignments let it
 * become in those accounts' principal graphs.
 */
export function scoreIdentityCenter(scorer: RiskScorer, state: IdentityCenterState, source: PermissionSetPolicySource, options: { at?: Date; accounts?: ReadonlyMap<string, AccountSnapshot> } = {}): IdentityCenterRiskReport {
  const { at } = options;
  const permissionSets = state.PermissionSets.map((set): ScoredPermissionSet => {
    const assigned = state.AccountAssignments.filter((a) => a.PermissionSetArn === set.PermissionSetArn);
    const risk = scorePermissionSet(scorer, set, source, { accounts: assigned.map((a) => a.AccountId), ...(at && { at }) });
    const count = (type: 'USER' | 'GROUP') => assigned.filter((a) => a.PrincipalType === type).length;
    return { ...risk, assignments: { users: count('USER'), groups: count('GROUP') } };
  });
  permissionSets.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  const principals = scoreIdentityCenterPrincipals(scorer, state, source, options.accounts ?? new Map(), at);
  return { model: scorer.model.version, catalogue: scorer.index.source, ...(at && { at: at.toISOString() }), instanceArn: state.Instance.InstanceArn, permissionSets, principals };
}
