import type { AccountPrincipals, PrincipalPolicies } from './account-principals.js';
import type { PrincipalNode } from './principal-graph.js';
import { readTrustPolicy } from './trust-policy.js';

const nodeId = (kind: string, name: string) => `${kind}/${name}`;
const managedOf = (entry: PrincipalPolicies) => entry.policies.map((p) => p.ref).filter((ref) => ref.startsWith('arn:'));

/** The users, groups and roles of an account read-out as nodes of the principal graph. */
export function accountGraphNodes(principals: AccountPrincipals, entries: PrincipalPolicies[] = principals.all()): PrincipalNode[] {
  const { snapshot, at } = principals;
  const roles = new Map(snapshot.RoleDetailList.map((r) => [r.RoleName, r]));
  const users = new Map(snapshot.UserDetailList.map((u) => [u.UserName, u]));
  return entries.map((entry): PrincipalNode => {
    const base = { id: nodeId(entry.kind, entry.name), kind: entry.kind, name: entry.name, arn: entry.arn, policies: entry.policies.map((p) => p.permissions), ...(entry.boundary && { boundary: entry.boundary }), managedPolicies: managedOf(entry) };
    if (entry.kind === 'role') {
      const role = roles.get(entry.name)!;
      return { ...base, acts: true, trust: readTrustPolicy(role.AssumeRolePolicyDocument, at), instanceProfile: (role.InstanceProfileList ?? []).length > 0 };
    }
    if (entry.kind === 'user') return { ...base, acts: true, groups: (users.get(entry.name)!.GroupList ?? []).map((g) => nodeId('group', g)) };
    return { ...base, acts: false };
  });
}
