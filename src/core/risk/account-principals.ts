import { defaultPolicyDocument, type AccountSnapshot, type AttachedPolicy, type GroupDetail, type InlinePolicy, type ManagedPolicyDetail, type RoleDetail, type UserDetail } from '../iam/account-snapshot.js';
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

  /** `at`: when policy conditions on the clock are judged (undecided without it). */
  constructor(private readonly scorer: RiskScorer, readonly snapshot: AccountSnapshot, readonly at?: Date) {
    for (const policy of snapshot.Policies) this.managed.set(policy.Arn, policy);
  }

  managedPermissions(arn: string): PolicyPermissions | undefined {
    let permissions = this.cache.get(arn);
    if (permissions === undefined) {
      const policy = this.managed.get(arn);
      permissions = policy ? this.scorer.permissionsOf(defaultPolicyDocument(policy), this.at) : null;
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
      out.policies.push({ ref: inlineRef(kind, owner, p.PolicyName), via, permissions: this.scorer.permissionsOf(p.PolicyDocument, this.at) });
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
    return [
      ...this.snapshot.UserDetailList.map((u) => this.userEntry(u)),
      ...this.snapshot.GroupDetailList.map((g) => this.groupEntry(g)),
      ...this.snapshot.RoleDetailList.map((r) => this.roleEntry(r)),
    ];
  }

  find(kind: PrincipalKind, name: string): PrincipalPolicies | undefined {
    return kind === 'user' ? this.user(name) : kind === 'group' ? this.group(name) : this.role(name);
  }

  private groupsByName?: Map<string, GroupDetail>;

  user(name: string): PrincipalPolicies | undefined {
    const user = this.snapshot.UserDetailList.find((u) => u.UserName === name);
    return user && this.userEntry(user);
  }

  private userEntry(user: UserDetail): PrincipalPolicies {
    const name = user.UserName;
    this.groupsByName ??= new Map(this.snapshot.GroupDetailList.map((g) => [g.GroupName, g]));
    const entry: PrincipalPolicies = { kind: 'user', name, arn: user.Arn, policies: [], unresolved: [] };
    this.collect('user', name, user.AttachedManagedPolicies, user.UserPolicyList, entry);
    for (const groupName of user.GroupList ?? []) {
      const group = this.groupsByName.get(groupName);
      if (group) this.collect('group', groupName, group.AttachedManagedPolicies, group.GroupPolicyList, entry, groupName);
      else entry.unresolved.push(`group:${groupName}`);
    }
    this.boundary(entry, user.PermissionsBoundary?.PermissionsBoundaryArn);
    return entry;
  }

  group(name: string): PrincipalPolicies | undefined {
    const group = this.snapshot.GroupDetailList.find((g) => g.GroupName === name);
    return group && this.groupEntry(group);
  }

  private groupEntry(group: GroupDetail): PrincipalPolicies {
    const name = group.GroupName;
    const entry: PrincipalPolicies = { kind: 'group', name, arn: group.Arn, policies: [], unresolved: [] };
    this.collect('group', name, group.AttachedManagedPolicies, group.GroupPolicyList, entry);
    return entry;
  }

  role(name: string): PrincipalPolicies | undefined {
    const role = this.snapshot.RoleDetailList.find((r) => r.RoleName === name);
    return role && this.roleEntry(role);
  }

  private roleEntry(role: RoleDetail): PrincipalPolicies {
    const name = role.RoleName;
    const entry: PrincipalPolicies = { kind: 'role', name, arn: role.Arn, policies: [], unresolved: [] };
    this.collect('role', name, role.AttachedManagedPolicies, role.RolePolicyList, entry);
    this.boundary(entry, role.PermissionsBoundary?.PermissionsBoundaryArn);
    return entry;
  }
}
