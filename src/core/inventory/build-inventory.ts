import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { AccessRepo } from '../model.js';
import { AccountPrincipals, inlineRef } from '../risk/account-principals.js';
import { scoreResource, type ResourceRisk } from '../risk/resource-risk.js';
import type { ResolvedRiskSettings } from '../risk/risk-settings.js';
import type { RiskScorer } from '../risk/risk-scorer.js';
import { scoreAccount } from '../risk/score-account.js';
import { describePath } from '../risk/score-principal-graph.js';
import { explainUserAccess, type UserAttachment } from './explain-user-access.js';
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
}

export interface InventoryInput {
  system: string;
  snapshot: AccountSnapshot;
  repo?: AccessRepo;
  scorer: RiskScorer;
  settings: ResolvedRiskSettings;
  now: Date;
}

/** The read-out of one account: who holds what, how risky, what the repository explains, and what to do. */
export function buildInventory(input: InventoryInput): InventoryReport {
  const { system, snapshot, repo, scorer, settings, now } = input;
  const risk = scoreAccount(scorer, snapshot, { at: now });
  const principals = new AccountPrincipals(scorer, snapshot, now);
  const attachments = explainUserAccess(repo, system, snapshot, now);
  const byPrincipal = new Map(risk.principals.map((p) => [`${p.kind}/${p.name}`, p]));
  const scoreOf = (kind: string, name: string) => byPrincipal.get(`${kind}/${name}`)?.score ?? 0;
  const reachOf = (kind: string, name: string) => {
    const reach = byPrincipal.get(`${kind}/${name}`)?.reach;
    return reach ? { reach: `${reach.node} (${reach.score}): ${describePath(reach)}` } : {};
  };

  const resources = new Map<string, ResourceRisk>();
  for (const { value } of repo?.resources.values() ?? []) {
    if (value.system === system) resources.set(value.id, scoreResource(scorer, value, snapshot, principals));
  }
  const recommendations = recommend({ system, snapshot, repo, now, settings, scorer, principals, risk, attachments, resources });

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
  };
}
