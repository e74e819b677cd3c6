import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { AccessRepo } from '../model.js';
import { AccountPrincipals, inlineRef } from '../risk/account-principals.js';
import { scoreResource, type ResourceRisk } from '../risk/resource-risk.js';
import type { ResolvedRiskSettings } from '../risk/risk-settings.js';
import type { RiskScorer } from '../risk/risk-scorer.js';
import { scoreAccount } from '../risk/score-account.js';
import { describePath } from '../risk/score-principal-graph.js';
import type { PermissionSetDetail } from '../identity-center/identity-center-state.js';
import type { PermissionSetPolicySource } from '../risk/permission-set-policies.js';
import type { SystemConfig } from '../model.js';
import { systemTypeOf } from '../systems/registry.js';
import { explainAccess, type UserAttachment } from './explain-access.js';
import type { InventoryIdentityCenter, PermissionSetRisk } from './read-outs/identity-center-read-out.js';
import { SYSTEM_READ_OUTS } from './read-outs/registry.js';
import { daysBetween, type Recommendation } from './recommendation.js';
import { recommend } from './recommend.js';

export interface InventoryAccessKey {
  id: string;
  status: 'Active' | 'Inactive';
  ageDays?: number;
  lastUsed?: string;
  lastUsedService?: string;
}

export interface InventoryUser {
  name: string;
  arn: string;
  /** The person whose `aws.user` this is. */
  person?: string;
  /** Effective: its own, or the worst principal it can become (`reach`). */
  risk: number;
  /** The path to the worst principal it can become, when that scores higher than its own permissions. */
  reach?: string;
  /** Has a console password; undefined when the read-out does not say. */
  console?: boolean;
  mfa?: boolean;
  passwordLastUsed?: string;
  accessKeys: InventoryAccessKey[];
  /** What it holds, each with the grant that explains it (or none). */
  attachments: UserAttachment[];
}

export interface InventoryGroup {
  name: string;
  arn: string;
  members: string[];
  policies: string[];
  risk: number;
  /** Resources of this system that hand the group out. */
  resources: string[];
}

export interface InventoryRole {
  name: string;
  arn: string;
  policies: string[];
  risk: number;
  /** As for users. */
  reach?: string;
  lastUsed?: string;
}

export interface InventoryPolicy {
  ref: string;
  name: string;
  kind: 'managed' | 'inline';
  attachedTo: string[];
  risk: number;
  /** Categories of its findings, most severe first. */
  categories: string[];
}

export interface InventoryReport {
  system: string;
  /** The system's type (`type:` in grantops.yaml). */
  type: SystemConfig['type'];
  at: string;
  model: string;
  catalogue: string;
  users: InventoryUser[];
  groups: InventoryGroup[];
  roles: InventoryRole[];
  policies: InventoryPolicy[];
  resources: ResourceRisk[];
  /** Attachments nothing in the repository explains. */
  unmanaged: UserAttachment[];
  recommendations: Recommendation[];
  /** An Identity Center instance's users, groups, assignments and permission sets (its IAM lists are empty). */
  identityCenter?: InventoryIdentityCenter;
}

export interface InventoryInput {
  system: string;
  snapshot: AccountSnapshot;
  repo?: AccessRepo;
  scorer: RiskScorer;
  settings: ResolvedRiskSettings;
  now: Date;
  /** The system's type; by default what the snapshot is (an Identity Center instance, else an IAM account). */
  type?: SystemConfig['type'];
  /** Scores a permission set like a policy; without it the read-out gives permission sets no score. */
  scorePermissionSet?: (set: PermissionSetDetail) => PermissionSetRisk;
  /** Where permission sets' referenced policies are found (the run's IAM read-outs): with it, permission-set resources are scored too. */
  policies?: PermissionSetPolicySource;
}

/** The read-out of one account: who holds what, how risky, what the repository explains, and what to do. */
export function buildInventory(input: InventoryInput): InventoryReport {
  const { system, snapshot, repo, scorer, settings, now } = input;
  const type = systemTypeOf({ type: input.type ?? (snapshot.IdentityCenter ? 'aws-identity-center' : 'aws') });
  const readOut = SYSTEM_READ_OUTS[type.type];
  const risk = scoreAccount(scorer, snapshot, { at: now });
  const principals = new AccountPrincipals(scorer, snapshot, now);
  const attachments = explainAccess(repo, system, type, snapshot, now);
  const byPrincipal = new Map(risk.principals.map((p) => [`${p.kind}/${p.name}`, p]));
  const scoreOf = (kind: string, name: string) => byPrincipal.get(`${kind}/${name}`)?.score ?? 0;
  const reachOf = (kind: string, name: string) => {
    const reach = byPrincipal.get(`${kind}/${name}`)?.reach;
    return reach ? { reach: `${reach.node} (${reach.score}): ${describePath(reach)}` } : {};
  };

  const resources = new Map<string, ResourceRisk>();
  for (const { value } of readOut.scoresResources || input.policies ? (repo?.resources.values() ?? []) : []) {
    if (value.system === system) resources.set(value.id, scoreResource(scorer, value, snapshot, principals, input.policies));
  }
  const recommendations = recommend({ system, snapshot, repo, now, settings, scorer, principals, risk, attachments, resources }, readOut.rules);

  const personOf = new Map([...(repo?.people ?? [])].filter(([, p]) => p.value.aws).map(([login, p]) => [p.value.aws!.user, login]));
  const users = snapshot.UserDetailList.map((u): InventoryUser => {
    const mine = attachments.filter((a) => a.user === u.UserName);
    const person = personOf.get(u.UserName);
    return {
      name: u.UserName,
      arn: u.Arn,
      ...(person ? { person } : {}),
      risk: scoreOf('user', u.UserName),
      ...reachOf('user', u.UserName),
      console: u.PasswordEnabled,
      mfa: u.MfaEnabled,
      passwordLastUsed: u.PasswordLastUsed,
      accessKeys: (u.AccessKeys ?? []).map((k) => ({ id: k.AccessKeyId, status: k.Status, ageDays: daysBetween(k.CreateDate, now), lastUsed: k.LastUsedDate, lastUsedService: k.LastUsedService })),
      attachments: mine,
    };
  });
  const groupResources = (name: string) =>
    [...(repo?.resources.values() ?? [])].filter((r) => r.value.system === system && 'group' in r.value.grants && r.value.grants.group === name).map((r) => r.value.id);
  const groups = snapshot.GroupDetailList.map((g): InventoryGroup => ({
    name: g.GroupName,
    arn: g.Arn,
    members: snapshot.UserDetailList.filter((u) => u.GroupList?.includes(g.GroupName)).map((u) => u.UserName),
    policies: [...(g.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn), ...(g.GroupPolicyList ?? []).map((p) => inlineRef('group', g.GroupName, p.PolicyName))],
    risk: scoreOf('group', g.GroupName),
    resources: groupResources(g.GroupName),
  }));
  const roles = snapshot.RoleDetailList.map((r): InventoryRole => ({
    name: r.RoleName,
    arn: r.Arn,
    policies: [...(r.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn), ...(r.RolePolicyList ?? []).map((p) => inlineRef('role', r.RoleName, p.PolicyName))],
    risk: scoreOf('role', r.RoleName),
    ...reachOf('role', r.RoleName),
    lastUsed: r.RoleLastUsed?.LastUsedDate,
  }));
  const policies = risk.policies.map((p): InventoryPolicy => ({
    ref: p.ref,
    name: p.name,
    kind: p.kind,
    attachedTo: p.attachedTo,
    risk: p.score,
    categories: [...new Set(p.findings.map((f) => f.category))],
  }));
  return {
    system,
    type: type.type,
    at: now.toISOString(),
    model: risk.model,
    catalogue: risk.catalogue,
    users,
    groups,
    roles,
    policies,
    resources: [...resources.values()],
    unmanaged: attachments.filter((a) => a.status === 'unmanaged'),
    recommendations,
    ...readOut.sections(input, attachments),
  };
}

/** Everything a read-out found held, whoever holds it (IAM users; Identity Center users and groups). */
export function attachmentsOf(report: Pick<InventoryReport, 'users' | 'identityCenter'>): UserAttachment[] {
  const ic = report.identityCenter;
  return [...report.users.flatMap((u) => u.attachments), ...(ic ? [...ic.users, ...ic.groups].flatMap((p) => p.assignments) : [])];
}
