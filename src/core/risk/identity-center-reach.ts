import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { IdentityCenterState, PermissionSetDetail } from '../identity-center/identity-center-state.js';
import { AccountPrincipals } from './account-principals.js';
import { accountGraphNodes } from './account-graph-nodes.js';
import type { PermissionSetPolicySource } from './permission-set-policies.js';
import { assessPermissionSet, permissionSetContent } from './permission-set-risk.js';
import type { PrincipalNode } from './principal-graph.js';
import type { RiskScorer } from './risk-scorer.js';
import { scorePrincipalGraph, type Reach } from './score-principal-graph.js';

/** One assignment as a way in: the permission set in the account, and the worst it reaches there. */
export interface AssignmentReach {
  permissionSet: string;
  account: string;
  /** The set's own score in the account (unreadable policies counted as unknown). */
  ownScore: number;
  /** The worst of its own score and what it can become in the account's principal graph. */
  score: number;
  /** Set when the set can become a principal of the account (a role it may assume, ...) that scores higher. */
  reach?: Reach;
}

/** An Identity Center user or group: what its account assignments let it become, worst first. */
export interface IdentityCenterPrincipalRisk {
  kind: 'user' | 'group';
  name: string;
  score: number;
  assignments: AssignmentReach[];
}

/** Where IAM Identity Center provisions a set in an account: a role under this path (its suffix is AWS's). */
export function permissionSetRoleArn(account: string, set: Pick<PermissionSetDetail, 'Name'>): string {
  return `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_${set.Name}`;
}

/**
 * The principal graph of each account the instance assigns something in, with a node per permission set
 * assigned there (its policies as they are in that account, within its boundary; the role AWS
 * provisions for it is what acts). A person assigned a set in account X becomes that node, so they reach
 * what the set can become in X: a role its policies may assume, compute to pass a role to... Accounts
 * the run does not read hold only the set's own node. Users and groups are both reported; a group's
 * members are not in the read-out, so the group stands for them.
 */
export function scoreIdentityCenterPrincipals(scorer: RiskScorer, state: IdentityCenterState, source: PermissionSetPolicySource, accounts: ReadonlyMap<string, AccountSnapshot>, at?: Date): IdentityCenterPrincipalRisk[] {
  const sets = new Map(state.PermissionSets.map((s) => [s.PermissionSetArn, s]));
  const byAccount = new Map<string, Set<PermissionSetDetail>>();
  for (const a of state.AccountAssignments) {
    const set = sets.get(a.PermissionSetArn);
    if (set) byAccount.set(a.AccountId, (byAccount.get(a.AccountId) ?? new Set()).add(set));
  }

  const reaches = new Map<string, AssignmentReach>();
  for (const [account, assigned] of byAccount) {
    const snapshot = accounts.get(account);
    const principals = snapshot ? new AccountPrincipals(scorer, snapshot, at) : undefined;
    const setNodes = [...assigned].map((set): PrincipalNode => {
      const content = permissionSetContent(scorer, set, source, account, at);
      return {
        id: `permission-set/${set.Name}`,
        kind: 'permission-set',
        name: set.Name,
        arn: permissionSetRoleArn(account, set),
        policies: content.policies.map((p) => p.permissions),
        ...(content.boundary && { boundary: content.boundary.permissions }),
        managedPolicies: content.policies.filter((p) => p.kind === 'customer-managed').map((p) => p.ref),
        acts: true,
      };
    });
    const scored = scorePrincipalGraph(scorer, [...(principals ? accountGraphNodes(principals) : []), ...setNodes]);
    for (const set of assigned) {
      const own = assessPermissionSet(scorer, set, source, { accounts: [account], ...(at && { at }) }).risk.score;
      const { reach } = scored.risks.get(`permission-set/${set.Name}`)!;
      const further = reach && reach.score > own ? reach : undefined;
      reaches.set(`${set.PermissionSetArn}@${account}`, { permissionSet: set.Name, account, ownScore: own, score: Math.max(own, further?.score ?? 0), ...(further && { reach: further }) });
    }
  }

  const users = new Map(state.Users.map((u) => [u.UserId, u.UserName]));
  const groups = new Map((state.Groups ?? []).map((g) => [g.GroupId, g.DisplayName ?? g.GroupId]));
  const out = new Map<string, IdentityCenterPrincipalRisk>();
  for (const a of state.AccountAssignments) {
    const reach = reaches.get(`${a.PermissionSetArn}@${a.AccountId}`);
    if (!reach) continue;
    const kind = a.PrincipalType === 'USER' ? 'user' : 'group';
    const name = (kind === 'user' ? users : groups).get(a.PrincipalId) ?? a.PrincipalId;
    const key = `${kind}/${name}`;
    const entry = out.get(key) ?? { kind, name, score: 0, assignments: [] };
    entry.assignments.push(reach);
    entry.score = Math.max(entry.score, reach.score);
    out.set(key, entry);
  }
  const all = [...out.values()];
  for (const p of all) p.assignments.sort((a, b) => b.score - a.score || a.permissionSet.localeCompare(b.permissionSet) || a.account.localeCompare(b.account));
  return all.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
}
