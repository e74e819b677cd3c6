import type { EscalateSensitivity, SensitivityEscalation } from '../approval/approval-input.js';
import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { AccessRepo, GrantFile, Resource } from '../model.js';
import { accountGraphNodes } from './account-graph-nodes.js';
import { AccountPrincipals } from './account-principals.js';
import { systemsPolicySource, type PermissionSetPolicySource } from './permission-set-policies.js';
import { resourcePermissions, scoreResource } from './resource-risk.js';
import type { ResolvedRiskSettings } from './risk-settings.js';
import type { RiskScorer } from './risk-scorer.js';
import { describeEdge, rescoreNode, scorePrincipalGraph, type Reach, type ScoredGraph } from './score-principal-graph.js';

/** What a grant does to risk: the resource's score, and the grantee's principal score before and after. */
export interface GrantRisk {
  user: string;
  resource: string;
  /** The resource's own score, 0-100. */
  score: number;
  /** Privilege-escalation rules the resource matches by itself. */
  escalationPaths: string[];
  /** The grantee's IAM user, when the account read-out has it. */
  grantee?: {
    iamUser: string;
    /** The grantee's effective score (the worst principal it can become) without the grant, and with it. */
    before: number;
    after: number;
    /** Privilege-escalation rules the grant newly opens to the grantee (alone or with what they hold). */
    opens: string[];
    /** Set when the grant lets the grantee reach an administrator it could not reach before: the path. */
    reachesAdministrator?: Reach;
  };
  /** Why the score is incomplete (no account read-out for a managed policy or group, say). */
  unresolved: string[];
  /** Set when the grant needs the approvers of a more sensitive level, and why. */
  escalation?: SensitivityEscalation;
}

export interface GrantRiskContext {
  scorer: RiskScorer;
  settings: ResolvedRiskSettings;
  /** The rules at the base: people (for the grantee's IAM user) and resources. */
  repo: AccessRepo;
  /** Each system's account read-out, when there is one. */
  accounts: ReadonlyMap<string, AccountSnapshot>;
  /** When conditions on the clock are judged (the evaluation time). */
  at?: Date;
  /** Managed policies of the run's IAM accounts (permission sets reference them); built from `accounts` when absent. */
  policies?: PermissionSetPolicySource;
}

const escalationRules = (findings: { rule: string; category: string }[]) => findings.filter((f) => f.category === 'privilege-escalation').map((f) => f.rule);

/**
 * The grant's risk. "Opens a privilege-escalation path" compares the grantee's permissions with the grant
 * and without it, so a path completed by the union (PassRole held, Lambda granted) counts; without the
 * grantee in the account read-out, the resource's own paths stand in. With the read-out, the principal
 * graph also says whether the grant lets the grantee become an administrator it could not become before
 * (a role it may now assume, an instance it may now run commands on...), and by which path.
 */
export function assessGrantRisk(context: GrantRiskContext, grant: Pick<GrantFile, 'user' | 'resource'>, resource: Resource, graphs = new Map<string, AccountGraph>()): GrantRisk {
  const { scorer, settings, repo, accounts } = context;
  const snapshot = accounts.get(resource.system);
  const account = snapshot ? accountGraph(context, resource.system, snapshot, graphs) : undefined;
  const principals = account?.principals;
  const policies = context.policies ?? systemsPolicySource(repo.org?.value.systems ?? {}, accounts);
  const own = scoreResource(scorer, resource, snapshot, principals, policies);
  const out: GrantRisk = { user: grant.user, resource: resource.id, score: own.score, escalationPaths: escalationRules(own.findings), unresolved: own.unresolved };

  const iamUser = repo.people.get(grant.user)?.value.aws?.user;
  const current = iamUser && principals ? principals.user(iamUser) : undefined;
  let opens = out.escalationPaths;
  let reaches: Reach | undefined;
  if (current && iamUser && account) {
    const held = current.policies.map((p) => p.permissions);
    const granted = resourcePermissions(scorer, resource, snapshot, principals, policies);
    const before = scorer.scorePermissions(held, current.boundary);
    const after = scorer.scorePermissions([...held, ...granted.policies], current.boundary);
    const had = new Set(escalationRules(before.findings));
    opens = escalationRules(after.findings).filter((rule) => !had.has(rule));
    // The graph: the worst principal the grantee can become, without the grant and with it.
    const id = `user/${iamUser}`;
    const node = account.scored.graph.byId.get(id)!;
    const was = account.scored.risks.get(id)!;
    const joined = 'group' in resource.grants ? [`group/${resource.grants.group}`] : [];
    const now = rescoreNode(scorer, account.scored, { ...node, policies: [...node.policies, ...granted.policies], groups: [...(node.groups ?? []), ...joined] });
    const admin = scorer.model.tiers[0]!.id;
    const isAdmin = (r: { own: { findings: { tier: string }[] }; reach?: Reach }) => r.own.findings[0]?.tier === admin || r.reach?.tier === admin;
    if (!isAdmin(was) && isAdmin(now)) reaches = now.reach ?? { node: id, kind: 'user', name: iamUser, arn: node.arn, score: now.own.score, tier: admin, path: [] };
    const effective = (r: typeof now) => Math.max(r.own.score, r.reach?.score ?? 0);
    out.grantee = { iamUser, before: effective(was), after: effective(now), opens, ...(reaches && { reachesAdministrator: reaches }) };
  }

  if (settings.configured) {
    const reasons: string[] = [];
    if (settings.escalateOnPrivilegeEscalation && reaches) reasons.push(`it lets ${grant.user} reach an administrator (${describeReach(reaches)})`);
    if (settings.escalateOnPrivilegeEscalation && opens.length > 0) reasons.push(`it opens a privilege-escalation path to ${grant.user} (${opens.join(', ')})`);
    if (settings.escalateAbove !== undefined && own.score > settings.escalateAbove) reasons.push(`${resource.id} scores ${own.score}/100, above risk.escalateAbove (${settings.escalateAbove})`);
    if (reasons.length > 0) out.escalation = { levels: 1, why: `risk: ${reasons.join('; and ')}` };
  }
  return out;
}

/** `role/admin via user/kramer → role/jump by …, then …`, or what the grantee can do to itself. */
export function describeReach(reach: Reach): string {
  return reach.path.length === 0 ? `${reach.node} can change its own permissions` : `${reach.node}: ${reach.path.map(describeEdge).join('; ')}`;
}

/** One account's principals and scored graph, built once however many grants are assessed against it. */
export interface AccountGraph {
  principals: AccountPrincipals;
  scored: ScoredGraph;
}

function accountGraph(context: GrantRiskContext, system: string, snapshot: AccountSnapshot, graphs: Map<string, AccountGraph>): AccountGraph {
  let graph = graphs.get(system);
  if (!graph) {
    const principals = new AccountPrincipals(context.scorer, snapshot, context.at);
    graph = { principals, scored: scorePrincipalGraph(context.scorer, accountGraphNodes(principals)) };
    graphs.set(system, graph);
  }
  return graph;
}

/**
 * The approval evaluator's escalation seam, from risk: one level up for a grant that opens a
 * privilege-escalation path or whose resource scores above `risk.escalateAbove`. Only with a `risk:`
 * block in grantops.yaml; each grant is assessed once however often it is asked.
 */
export function riskEscalation(given: GrantRiskContext): { escalate: EscalateSensitivity; assess: (user: string, resource: string) => GrantRisk | undefined } {
  const context = { ...given, policies: given.policies ?? systemsPolicySource(given.repo.org?.value.systems ?? {}, given.accounts) };
  const cache = new Map<string, GrantRisk>();
  const graphs = new Map<string, AccountGraph>();
  const assess = (user: string, resourceId: string, resource = context.repo.resources.get(resourceId)?.value) => {
    if (!resource) return undefined;
    const key = `${user}\u0000${resourceId}`;
    let risk = cache.get(key);
    if (!risk) cache.set(key, (risk = assessGrantRisk(context, { user, resource: resourceId }, resource, graphs)));
    return risk;
  };
  return {
    escalate: (grant, resource) => assess(grant.user, resource.id, resource)?.escalation,
    assess: (user, resource) => assess(user, resource),
  };
}
