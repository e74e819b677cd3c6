import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { AccountAssignment, IdentityCenterState } from '../identity-center/identity-center-state.js';
import { snapshotPolicySource } from '../risk/permission-set-policies.js';
import { assessPermissionSet, unreadableFindings } from '../risk/permission-set-risk.js';
import { shellQuote, type EntitlementKind, type Holdings } from './entitlement-kind.js';

type PermissionSetGrants = { permissionSet: string; accounts: string[] };

function stateOf(snapshot: AccountSnapshot | undefined): IdentityCenterState | undefined {
  return snapshot?.IdentityCenter;
}

/** A user's assignment of a permission set in an account, keyed the way holdings are: `NAME@ACCOUNT`. */
export function assignmentName(permissionSet: string, account: string): string {
  return `${permissionSet}@${account}`;
}

/** The assignments of one principal type, by principal name (every principal listed, holding or not). */
function assignmentsOf(state: IdentityCenterState, type: AccountAssignment['PrincipalType'], principals: [string, string][]): Holdings {
  const out = new Map<string, Map<string, { account: string }>>();
  const names = new Map(state.PermissionSets.map((p) => [p.PermissionSetArn, p.Name]));
  const byId = new Map(principals);
  for (const [, name] of principals) out.set(name, new Map());
  for (const a of state.AccountAssignments) {
    const principal = a.PrincipalType === type ? byId.get(a.PrincipalId) : undefined;
    const name = names.get(a.PermissionSetArn);
    if (principal && name) out.get(principal)!.set(assignmentName(name, a.AccountId), { account: a.AccountId });
  }
  return out;
}

/**
 * `grants: { permissionSet: NAME, accounts: [...] }` in an `aws-identity-center` system: one account
 * assignment (user x permission set x account) per listed account. Only user assignments are grantops's
 * concern; group assignments are read out but never changed.
 */
export const permissionSetAssignment: EntitlementKind<AccountSnapshot> = {
  id: 'permission-set',
  accepts: (grants) => 'permissionSet' in grants,
  targetsOf(resource, context) {
    const { permissionSet, accounts } = resource.grants as PermissionSetGrants;
    const state = stateOf(context?.snapshot);
    const permissionSetArn = state?.PermissionSets.find((p) => p.Name === permissionSet)?.PermissionSetArn;
    const principalId = context?.principal ? state?.Users.find((u) => u.UserName === context.principal)?.UserId : undefined;
    const refs = state && permissionSetArn ? { instanceArn: state.Instance.InstanceArn, permissionSetArn, ...(principalId ? { principalId } : {}) } : undefined;
    return accounts.map((account) => ({ kind: 'permission-set', name: permissionSet, account, ...(refs ? { refs } : {}) }));
  },
  holdings(snapshot): Holdings {
    const state = stateOf(snapshot);
    if (!state) return new Map();
    return assignmentsOf(state, 'USER', state.Users.map((u) => [u.UserId, u.UserName]));
  },
  groupHoldings(snapshot): Holdings {
    const state = stateOf(snapshot);
    if (!state) return new Map();
    return assignmentsOf(state, 'GROUP', (state.Groups ?? []).map((g) => [g.GroupId, g.DisplayName ?? g.GroupId]));
  },
  findMissing(snapshot, target) {
    if (stateOf(snapshot)?.PermissionSets.some((p) => p.Name === target.name)) return undefined;
    return { rule: 'plan/unknown-permission-set', message: `permission set "${target.name}" does not exist in the Identity Center instance` };
  },
  ownedByName: false,
  addAction: 'create-account-assignment',
  removeAction: 'delete-account-assignment',
  // No per-principal quota: Identity Center's limits are per account and per instance (permission sets
  // provisioned to an account, assignments per instance), far above what one plan adds.
  applyToSnapshot(snapshot, op) {
    const state = stateOf(snapshot);
    if (!state) return 'the state is not of an Identity Center instance';
    const user = state.Users.find((u) => u.UserName === op.principal);
    if (!user) return `Identity Center user "${op.principal}" does not exist`;
    const set = state.PermissionSets.find((p) => p.Name === op.target);
    if (!set) return `permission set "${op.target}" does not exist`;
    if (!op.account) return `${op.action} needs an account`;
    const same = (a: AccountAssignment) => a.PrincipalType === 'USER' && a.PrincipalId === user.UserId && a.PermissionSetArn === set.PermissionSetArn && a.AccountId === op.account;
    if (op.action === 'delete-account-assignment') {
      state.AccountAssignments = state.AccountAssignments.filter((a) => !same(a));
      return undefined;
    }
    if (!state.AccountAssignments.some(same)) {
      state.AccountAssignments.push({ AccountId: op.account, PermissionSetArn: set.PermissionSetArn, PrincipalType: 'USER', PrincipalId: user.UserId });
    }
    return undefined;
  },
  cliCommand(op) {
    const ref = (key: string, placeholder: string) => shellQuote(op.refs?.[key] ?? placeholder);
    return [
      `aws sso-admin ${op.action} --instance-arn ${ref('instanceArn', '<instance ARN>')}`,
      `--target-type AWS_ACCOUNT --target-id ${shellQuote(op.account ?? '<account>')}`,
      `--permission-set-arn ${ref('permissionSetArn', `<ARN of ${op.target}>`)}`,
      `--principal-type USER --principal-id ${ref('principalId', `<user id of ${op.principal}>`)}`,
    ].join(' ');
  },
  describe: (target) => `permission set ${target.name}${target.account ? ` in account ${target.account}` : ''}`,
  // The set's policies as they are in the listed account where they reach furthest; its referenced
  // policies are found in the run's IAM accounts, and one that cannot be read is a finding of unknown risk.
  riskOf(resource, { scorer, snapshot, policies, at }) {
    const { permissionSet, accounts } = resource.grants as PermissionSetGrants;
    const state = stateOf(snapshot);
    if (!state) return { policies: [], unresolved: ['no Identity Center read-out to find its permission set in'] };
    const set = state.PermissionSets.find((p) => p.Name === permissionSet);
    if (!set) return { policies: [], unresolved: [`permission set ${permissionSet} is not in the Identity Center read-out`] };
    const { risk, worst } = assessPermissionSet(scorer, set, policies ?? snapshotPolicySource(new Map()), { accounts, ...(at && { at }) });
    return { policies: worst.policies.map((p) => p.permissions), ...(worst.boundary && { boundary: worst.boundary.permissions }), findings: unreadableFindings(scorer, worst), unresolved: risk.unresolved };
  },
};

