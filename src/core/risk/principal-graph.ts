import { accountOfArn, isAwsManagedPolicyArn } from './arn-pattern.js';
import { authorize } from './authorize.js';
import type { CompiledRule } from './find-risk-findings.js';
import { combinePermissions, type EffectivePermissions, type PolicyPermissions } from './policy-permissions.js';
import { EdgeSink, listIn } from './graph-edges.js';
import { modificationsOf, selfModification, type GraphRule } from './graph-modifications.js';
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
  /** Edges another source knows (a user assigned a permission set). */
  extraEdges?: GraphEdge[];
  /** Each node's policies combined (computed here when not given). */
  effective?: (node: PrincipalNode) => EffectivePermissions;
  /** Only these nodes' edges are looked for (all nodes are still targets). */
  actors?: ReadonlySet<string>;
}



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
  for (const r of assumable) for (const s of r.trust!.statements) for (const arn of s.aws) if (s.effect === 'Allow') listIn(byName, arn).push(r);
  const serviceRoles = new Map<string, PrincipalNode[]>();
  const forService = (service: string) => {
    let found = serviceRoles.get(service);
    if (!found) serviceRoles.set(service, (found = roles.filter((r) => trustsService(r.trust!, service))));
    return found;
  };
  const attachedTo = new Map<string, string[]>();
  for (const n of nodes) for (const arn of n.managedPolicies) if (!isAwsManagedPolicyArn(arn)) listIn(attachedTo, arn).push(n.id);
  const members = new Map<string, string[]>();
  for (const u of users) for (const g of u.groups ?? []) listIn(members, g).push(u.id);

  const rules = scorer.rules.filter((c): c is CompiledRule & GraphRule => 'actions' in c && c.rule.graph !== undefined && c.rule.match === 'all');
  const assumeIndex = index.indexOf('sts:AssumeRole')!;
  const passRoleIndex = index.indexOf('iam:PassRole')!;
  const sink = new EdgeSink(options.extraEdges);
  const modifications: Modification[] = [];
  // Roles a whole account may assume (a trust policy with a deny is judged per principal instead).
  const byAccount = new Map<string, { node: PrincipalNode; conditional: boolean }[]>();
  const trustingAccount = (account: string) => {
    let found = byAccount.get(account);
    if (!found) {
      found = [];
      for (const r of assumable) {
        const match = r.trust!.statements.every((t) => t.effect === 'Allow' && !t.anyone) ? trustMatch(r.trust!, '', account) : undefined;
        if (match) found.push({ node: r, conditional: match.conditional });
      }
      byAccount.set(account, found);
    }
    return found;
  };
  // Trust policies with a deny or a `*` principal: judged for each principal, never through a hub.
  const judgedAlone = assumable.filter((r) => r.trust!.statements.some((t) => t.effect === 'Deny' || t.anyone));
  const unconditionally = (list: PrincipalNode[]) => list.map((node) => ({ node, conditional: false }));

  for (const p of nodes) {
    if (!p.acts || (options.actors && !options.actors.has(p.id))) continue;
    const { allowed, unrestricted } = options.effective?.(p) ?? combinePermissions(index, p.policies, p.boundary);
    // An administrator cannot become anything worse: its edges are not looked for.
    if (unrestricted.isFull()) continue;
    const account = accountOfArn(p.arn) ?? '';
    const can = (action: number, arn: string) => authorize(p.policies, p.boundary, action, arn);
    const edge = (to: PrincipalNode, rule: string, source: string, how: string, conditional: boolean) => {
      if (to.id !== p.id) sink.add({ from: p.id, to: to.id, rule, source, how, conditional });
    };
    // Allowed on every resource, with no deny narrower than that: one edge to a hub of all the targets.
    const denies = (x: PolicyPermissions, action: number) => x.statements.some((st) => st.effect === 'Deny' && !st.conditional && st.actions.has(action));
    const everywhere = (action: number) => unrestricted.has(action) && !p.policies.some((x) => denies(x, action)) && !(p.boundary && denies(p.boundary, action));

    // Self-modification first: a principal that can give itself anything needs no other path.
    const self = selfModification(p, rules, allowed, (action, arn) => can(action, arn), byId, index);
    if (self) {
      modifications.push(self);
      continue;
    }

    const candidates = new Set(byName.get(p.arn) ?? []);
    if (allowed.has(assumeIndex)) {
      if (everywhere(assumeIndex)) {
        sink.toHub(p.id, `hub:assume:${account}`, () => trustingAccount(account), { rule: ASSUME_ROLE, source: model.graph.assumeRole.source, how: 'sts:AssumeRole (its trust policy trusts the account)', conditional: false });
      } else for (const { node } of trustingAccount(account)) candidates.add(node);
      for (const r of judgedAlone) candidates.add(r);
    }
    for (const r of candidates) {
      if (r.id === p.id) continue;
      const match = trustMatch(r.trust!, p.arn, account);
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
      const targeted = method.kind === 'pass-role' ? passRoleIndex : 'action' in method ? index.indexOf(method.action)! : undefined;
      const constrained = !actions.every((i) => i === targeted || unrestricted.has(i));
      const how = rule.actions.join(' + ');
      const via = { rule: rule.id, source: rule.source, conditional: constrained };
      switch (method.kind) {
        case 'pass-role': {
          if (everywhere(passRoleIndex)) sink.toHub(p.id, `hub:service:${method.service}`, () => unconditionally(forService(method.service)), { ...via, how: `${how} (the role trusts ${method.service})` });
          else
            for (const r of forService(method.service)) {
              const granted = can(passRoleIndex, r.arn);
              if (granted) edge(r, rule.id, rule.source, `${how} (the role trusts ${method.service})`, constrained || granted === 'conditional');
            }
          break;
        }
        case 'service-role': {
          const targets = () => unconditionally(forService(method.service).filter((r) => !method.instanceProfile || r.instanceProfile));
          sink.toHub(p.id, `hub:service:${method.service}${method.instanceProfile ? ':instance-profile' : ''}`, targets, { ...via, how: `${how} (${method.service} runs as the role)` });
          break;
        }
        case 'become-user':
        case 'rewrite-trust':
        case 'join-group': {
          if (method.kind === 'join-group' && p.kind !== 'user') break;
          const targets = method.kind === 'become-user' ? users : method.kind === 'rewrite-trust' ? roles : groups;
          if (everywhere(targeted!)) {
            sink.toHub(p.id, `hub:${method.kind}`, () => unconditionally(targets), { ...via, how: `${method.action} on any ${method.kind === 'become-user' ? 'user' : method.kind === 'rewrite-trust' ? 'role' : 'group'}` });
            break;
          }
          for (const t of targets) {
            const granted = can(targeted!, t.arn);
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
  return { nodes, byId, edges: sink.edges, modifications };
}
