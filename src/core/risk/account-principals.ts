import { defaultPolicyDocument, type AccountSnapshot, type AttachedPolicy, type InlinePolicy, type ManagedPolicyDetail } from '../iam/account-snapshot.js';
import type { PolicyPermissions } from './policy-permissions.js';
import type { RiskScorer } from './risk-scorer.js';

export type PrincipalKind = 'user' | 'group' | 'role';

/** One policy as it reaches a principal. */
export interface PrincipalPolicy {
  /** A managed policy's ARN, or `inline:<owner kind>/<owner>/<policy name>`. */
  ref: string;
  /** The group it comes through, for a user's group policies. */
  via?: string;
  permissions: PolicyPermissions;
}

export interface PrincipalPolicies {
  kind: PrincipalKind;
  name: string;
  arn: string;
  policies: PrincipalPolicy[];
  boundary?: PolicyPermissions;
  /** Attached ARNs the snapshot holds no document for (e.g. an AWS managed policy left out of it). */
  unresolved: string[];
}

export function inlineRef(kind: PrincipalKind, owner: string, policy: string): string {
  return `inline:${kind}/${owner}/${policy}`;
}

/**
 * Resolves what is attached to each principal of an account into permission sets, reading each managed
 * policy's document once however many principals attach it.
 */
export class AccountPrincipals {
  private readonly managed = new Map<string, ManagedPolicyDetail>();
  private readonly cache = new Map<string, PolicyPermissions | null>();

  constructor(private readonly scorer: RiskScorer, readonly snapshot: AccountSnapshot) {
    for (const policy of snapshot.Policies) this.managed.set(policy.Arn, policy);
  }

  managedPermissions(arn: string): PolicyPermissions | undefined {
    let permissions = this.cache.get(arn);
    if (permissions === undefined) {
      const policy = this.managed.get(arn);
      permissions = policy ? this.scorer.permissionsOf(defaultPolicyDocument(policy)) : null;
      this.cache.set(arn, permissions);
    }
    return permissions ?? undefined;
  }

  private collect(kind: PrincipalKind, owner: string, attached: AttachedPolicy[] | undefined, inline: InlinePolicy[] | undefined, out: PrincipalPolicies, via?: string): void {
    for (const a of attached ?? []) {
      const permissions = this.managedPermissions(a.PolicyArn);
      if (permissions) out.policies.push({ ref: a.PolicyArn, via, permissions });
      else if (!out.unresolved.includes(a.PolicyArn)) out.unresolved.push(a.PolicyArn);
    }
    for (const p of inline ?? []) {
      out.policies.push({ ref: inlineRef(kind, owner, p.PolicyName), via, permissions: this.scorer.permissionsOf(p.PolicyDocument) });
    }
  }

  private boundary(out: PrincipalPolicies, arn: string | undefined): void {
    if (!arn) return;
    const permissions = this.managedPermissions(arn);
    if (permissions) out.boundary = permissions;
    else out.unresolved.push(arn);
  }

  /** Every user (with its groups' policies), group and role of the account. */
  all(): PrincipalPolicies[] {
    const groups = new Map(this.snapshot.GroupDetailList.map((g) => [g.GroupName, g]));
    const out: PrincipalPolicies[] = [];
    for (const user of this.snapshot.UserDetailList) {
      const entry: PrincipalPolicies = { kind: 'user', name: user.UserName, arn: user.Arn, policies: [], unresolved: [] };
      this.collect('user', user.UserName, user.AttachedManagedPolicies, user.UserPolicyList, entry);
      for (const name of user.GroupList ?? []) {
        const group = groups.get(name);
        if (group) this.collect('group', name, group.AttachedManagedPolicies, group.GroupPolicyList, entry, name);
        else entry.unresolved.push(`group:${name}`);
      }
      this.boundary(entry, user.PermissionsBoundary?.PermissionsBoundaryArn);
      out.push(entry);
    }
    for (const group of this.snapshot.GroupDetailList) {
      const entry: PrincipalPolicies = { kind: 'group', name: group.GroupName, arn: group.Arn, policies: [], unresolved: [] };
      this.collect('group', group.GroupName, group.AttachedManagedPolicies, group.GroupPolicyList, entry);
      out.push(entry);
    }
    for (const role of this.snapshot.RoleDetailList) {
      const entry: PrincipalPolicies = { kind: 'role', name: role.RoleName, arn: role.Arn, policies: [], unresolved: [] };
      this.collect('role', role.RoleName, role.AttachedManagedPolicies, role.RolePolicyList, entry);
      this.boundary(entry, role.PermissionsBoundary?.PermissionsBoundaryArn);
      out.push(entry);
    }
    return out;
  }

  find(kind: PrincipalKind, name: string): PrincipalPolicies | undefined {
    return this.all().find((p) => p.kind === kind && p.name === name);
  }
}
