import type { ActionSet } from './action-set.js';
import { isAwsManagedPolicyArn } from './arn-pattern.js';
import { authorize } from './authorize.js';
import type { CompiledRule } from './find-risk-findings.js';
import { combinePermissions, type PolicyPermissions } from './policy-permissions.js';
import type { CombinationRule, GraphMethod, RiskRule } from './risk-model.js';
import type { RiskScorer } from './risk-scorer.js';
import { trustMatch, trustsAwsPrincipals, trustsService, type TrustPolicy } from './trust-policy.js';

/**
 * A node of the principal graph: something that holds permissions. Users and roles act; a group is only
 * joined (its permissions become its new member's). Any other source of permissions (an Identity Center
 * permission set, say) is a node of its own kind: give it its policies, and edges from whoever can
 * become it (`extraEdges` of `buildPrincipalGraph`).
 */
export type PrincipalNodeKind = 'user' | 'role' | 'group' | 'permission-set';

export interface PrincipalNode {
  /** `kind/name`, unique in the graph. */
  id: string;
  kind: PrincipalNodeKind;
  name: string;
  arn: string;
  policies: PolicyPermissions[];
  boundary?: PolicyPermissions;
  /** Roles: who may assume it. */
  trust?: TrustPolicy;
  /** Roles: EC2 instances can run as it (it has an instance profile). */
  instanceProfile?: boolean;
  /** Users: the ids of their groups' nodes. */
  groups?: string[];
  /** Customer managed policies that reach it (for users, also through their groups). */
  managedPolicies: string[];
  /** Calls AWS itself (users, roles, permission sets), rather than only being joined (groups). */
  acts: boolean;
}

/** "`from` can become `to`": a step of an escalation path. */
export interface GraphEdge {
  from: string;
  to: string;
  /** The model rule of the method, or `graph/assume-role`. */
  rule: string;
  /** Key of the published source in the model's `sources`. */
  source: string;
  /** What it takes, in words. */
  how: string;
  /** Holds only under a condition, or on some resources, that cannot be decided offline. */
  conditional: boolean;
}

/** "`by` can change the permissions of `target`" (itself included): with `target` reachable, `by` is unbounded. */
export interface Modification {
  by: string;
  target: string;
  rule: string;
  source: string;
  how: string;
  conditional: boolean;
}

export interface PrincipalGraph {
  nodes: PrincipalNode[];
  byId: Map<string, PrincipalNode>;
  edges: GraphEdge[];
  modifications: Modification[];
}

export interface GraphOptions {
  /** Nodes that cannot get worse (administrators): their outgoing edges are not looked for. */
  saturated?: (node: PrincipalNode) => boolean;
  /** Edges another source knows (a user assigned a permission set). */
  extraEdges?: GraphEdge[];
}

type GraphRule = { rule: CombinationRule & { graph: GraphMethod }; actions: number[] };

const ASSUME_ROLE = 'graph/assume-role';

/**
 * The principal graph of an account (after PMapper): which principal can become which, and who can
 * change whose permissions. Edges: sts:AssumeRole where the role's trust policy lets the principal in (by
 * name; or through its account, with its own policies allowing sts:AssumeRole on the role); and every
 * method of the model with a `graph` part, checked against the targets' ARNs with `authorize`.
 */
export function buildPrincipalGraph(scorer: RiskScorer, nodes: PrincipalNode[], options: GraphOptions = {}): PrincipalGraph {
  const { index, model } = scorer;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const roles = nodes.filter((n) => n.kind === 'role' && n.trust);
  const users = nodes.filter((n) => n.kind === 'user');
  const groups = nodes.filter((n) => n.kind === 'group');
  const assumable = roles.filter((r) => trustsAwsPrincipals(r.trust!));
  const byName = new Map<string, PrincipalNode[]>();
  for (const r of assumable) for (const s of r.trust!.statements) for (const arn of s.aws) if (s.effect === 'Allow') byName.set(arn, [...(byName.get(arn) ?? []), r]);
  const serviceRoles = new Map<string, PrincipalNode[]>();
  const forService = (service: string) => {
    let found = serviceRoles.get(service);
    if (!found) serviceRoles.set(service, (found = roles.filter((r) => trustsService(r.trust!, service))));
    return found;
  };
  const attachedTo = new Map<string, string[]>();
  for (const n of nodes) for (const arn of n.managedPolicies) if (!isAwsManagedPolicyArn(arn)) attachedTo.set(arn, [...(attachedTo.get(arn) ?? []), n.id]);
  const members = new Map<string, string[]>();
  for (const u of users) for (const g of u.groups ?? []) members.set(g, [...(members.get(g) ?? []), u.id]);

  const rules = scorer.rules.filter((c): c is CompiledRule & GraphRule => 'actions' in c && c.rule.graph !== undefined && c.rule.match === 'all');
  const assumeIndex = index.indexOf('sts:AssumeRole')!;
  const passRoleIndex = index.indexOf('iam:PassRole')!;
  const edges: GraphEdge[] = [...(options.extraEdges ?? [])];
  const modifications: Modification[] = [];

  for (const p of nodes) {
    if (!p.acts || options.saturated?.(p)) continue;
    const { allowed, unrestricted } = combinePermissions(index, p.policies, p.boundary);
    const can = (action: number, arn: string) => authorize(p.policies, p.boundary, action, arn);
    const edge = (to: PrincipalNode, rule: string, source: string, how: string, conditional: boolean) => {
      if (to.id !== p.id) edges.push({ from: p.id, to: to.id, rule, source, how, conditional });
    };

    // Self-modification first: a principal that can give itself anything needs no other path.
    const self = selfModification(p, rules, allowed, (action, arn) => can(action, arn), byId, index);
    if (self) {
      modifications.push(self);
      continue;
    }

    const candidates = new Set(byName.get(p.arn) ?? []);
    if (allowed.has(assumeIndex)) for (const r of assumable) candidates.add(r);
    for (const r of candidates) {
      if (r.id === p.id) continue;
      const match = trustMatch(r.trust!, p.arn);
      if (!match) continue;
      if (match.by === 'name') edge(r, ASSUME_ROLE, model.graph.assumeRole.source, 'sts:AssumeRole (its trust policy names the principal)', match.conditional);
      else {
        const granted = can(assumeIndex, r.arn);
        if (granted) edge(r, ASSUME_ROLE, model.graph.assumeRole.source, 'sts:AssumeRole (its trust policy trusts the account)', match.conditional || granted === 'conditional');
      }
    }

    for (const { rule, actions } of rules) {
      if (!actions.every((i) => allowed.has(i))) continue;
      const method = rule.graph;
      // The action checked against the target's ARN is decided exactly; the others may be limited to
      // resources or conditions the graph cannot see, which makes the edge conditional.
      const targeted = method.kind === 'pass-role' ? passRoleIndex : 'action' in method ? index.indexOf(method.action) : undefined;
      const constrained = !actions.every((i) => i === targeted || unrestricted.has(i));
      const how = rule.actions.join(' + ');
      switch (method.kind) {
        case 'pass-role':
          for (const r of forService(method.service)) {
            const granted = can(passRoleIndex, r.arn);
            if (granted) edge(r, rule.id, rule.source, `${how} (the role trusts ${method.service})`, constrained || granted === 'conditional');
          }
          break;
        case 'service-role':
          for (const r of forService(method.service)) {
            if (!method.instanceProfile || r.instanceProfile) edge(r, rule.id, rule.source, `${how} (${method.service} runs as the role)`, constrained);
          }
          break;
        case 'become-user':
        case 'rewrite-trust':
        case 'join-group': {
          if (method.kind === 'join-group' && p.kind !== 'user') break;
          const targets = method.kind === 'become-user' ? users : method.kind === 'rewrite-trust' ? roles : groups.filter((g) => !p.groups?.includes(g.id));
          const action = index.indexOf(method.action)!;
          for (const t of targets) {
            const granted = can(action, t.arn);
            if (granted) edge(t, rule.id, rule.source, `${method.action} on ${t.arn}`, constrained || granted === 'conditional');
          }
          break;
        }
        case 'modify':
          for (const m of modificationsOf(p, rule, method, (action, arn) => can(action, arn), { nodes, attachedTo, members, index })) modifications.push(m);
          break;
      }
    }
  }
  return { nodes, byId, edges, modifications };
}

interface ModifyContext {
  nodes: PrincipalNode[];
  attachedTo: Map<string, string[]>;
  members: Map<string, string[]>;
  index: RiskScorer['index'];
}

/** Whom `p` can change the permissions of through one `modify` method: every node the change reaches. */
function modificationsOf(p: PrincipalNode, rule: RiskRule, method: GraphMethod & { kind: 'modify' }, can: (action: number, arn: string) => ReturnType<typeof authorize>, context: ModifyContext): Modification[] {
  const action = context.index.indexOf(method.action)!;
  const out: Modification[] = [];
  const add = (target: string, on: string, conditional: boolean) => out.push({ by: p.id, target, rule: rule.id, source: rule.source, how: `${method.action} on ${on}`, conditional });
  if (method.target === 'policy') {
    for (const [arn, holders] of context.attachedTo) {
      const granted = can(action, arn);
      if (granted) for (const h of holders) add(h, arn, granted === 'conditional');
    }
    return out;
  }
  for (const t of context.nodes) {
    if (t.kind !== method.target) continue;
    const granted = can(action, t.arn);
    if (!granted) continue;
    add(t.id, t.arn, granted === 'conditional');
    if (t.kind === 'group') for (const m of context.members.get(t.id) ?? []) add(m, t.arn, granted === 'conditional');
  }
  return out;
}

/** The first way `p` can change its own permissions, if any: a policy on itself, its groups, or its own managed policies. */
function selfModification(p: PrincipalNode, rules: GraphRule[], allowed: ActionSet, can: (action: number, arn: string) => ReturnType<typeof authorize>, byId: Map<string, PrincipalNode>, index: RiskScorer['index']): Modification | undefined {
  let conditional: Modification | undefined;
  for (const { rule, actions } of rules) {
    const method = rule.graph;
    if (method.kind !== 'modify' || !actions.every((i) => allowed.has(i))) continue;
    const action = index.indexOf(method.action)!;
    const own =
      method.target === 'policy' ? p.managedPolicies.filter((arn) => !isAwsManagedPolicyArn(arn))
      : method.target === 'group' ? (p.groups ?? []).map((g) => byId.get(g)?.arn).filter((a): a is string => a !== undefined)
      : method.target === p.kind ? [p.arn]
      : [];
    for (const arn of own) {
      const granted = can(action, arn);
      if (!granted) continue;
      const found: Modification = { by: p.id, target: p.id, rule: rule.id, source: rule.source, how: `${method.action} on ${arn}`, conditional: granted === 'conditional' };
      if (granted === 'allowed') return found;
      conditional ??= found;
    }
  }
  return conditional;
}
