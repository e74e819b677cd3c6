import type { RiskFinding } from './find-risk-findings.js';
import { combinePermissions } from './policy-permissions.js';
import { collapseHubs, listIn } from './graph-edges.js';
import { buildPrincipalGraph, type GraphEdge, type GraphOptions, type Modification, type PrincipalGraph, type PrincipalNode } from './principal-graph.js';
import { lowerSeverity, lowerTier, type RiskModel } from './risk-model.js';
import type { RiskReport, RiskScorer } from './risk-scorer.js';

/** The worst node a principal can become, and how. */
export interface Reach {
  /** The node's id (`role/deploy`), kind, name and ARN. */
  node: string;
  kind: PrincipalNode['kind'];
  name: string;
  arn: string;
  /** The node's own score, which becomes the principal's. */
  score: number;
  tier: string;
  /** The steps, first from the principal itself. */
  path: GraphEdge[];
}

export interface NodeRisk {
  node: PrincipalNode;
  /** Its own permissions' score, with what it can do to itself (and to principals it can become). */
  own: RiskReport;
  /** Set when a node it can become scores higher than its own. */
  reach?: Reach;
}

export interface ScoredGraph {
  graph: PrincipalGraph;
  risks: Map<string, NodeRisk>;
  /** Edges by the node they leave. */
  out: Map<string, GraphEdge[]>;
}

/** A finding of the graph: changing its own permissions, or those of a principal it can become. */
function graphFinding(model: RiskModel, rule: string, description: string, m: Modification, path: GraphEdge[]): RiskFinding {
  const conditional = m.conditional || path.some((e) => e.conditional);
  const top = model.tiers[0]!.id;
  return {
    rule,
    category: 'privilege-escalation',
    severity: conditional ? lowerSeverity('high')! : 'high',
    tier: conditional ? lowerTier(model, top) : top,
    points: 0,
    actions: [m.how.split(' on ')[0]!],
    source: model.graph.selfModification.source,
    constrained: conditional,
    description: `${description}: ${[...path.map(describeEdge), `${m.how} (${m.rule})`].join(', then ')}`,
  };
}

/** `user/kramer → role/jump (sts:AssumeRole …) → role/admin (…)`: each step with what it takes. */
export function describePath(reach: Pick<Reach, 'path'>): string {
  const [first] = reach.path;
  if (!first) return '';
  return [first.from, ...reach.path.map((e) => `${e.to} (${e.how}${e.conditional ? ', under a condition' : ''})`)].join(' → ');
}

export function describeEdge(e: GraphEdge): string {
  return `${e.from} → ${e.to} by ${e.how}${e.conditional ? ' (under a condition)' : ''}`;
}

/** Shortest path from `from` to any of `targets` over `out`, or undefined. */
function pathTo(from: string, targets: Set<string>, out: Map<string, GraphEdge[]>): { target: string; path: GraphEdge[] } | undefined {
  const via = new Map<string, GraphEdge | null>([[from, null]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i]!;
    if (u !== from && targets.has(u)) {
      const path: GraphEdge[] = [];
      for (let e = via.get(u); e; e = via.get(e.from)) path.unshift(e);
      return { target: u, path: collapseHubs(path) };
    }
    for (const e of out.get(u) ?? []) {
      if (!via.has(e.to)) {
        via.set(e.to, e);
        queue.push(e.to);
      }
    }
  }
  return undefined;
}

/** Administrator findings from modifications: of itself, or of a principal it can become (over `out`). */
function escalationFindings(model: RiskModel, modifications: Modification[], out: Map<string, GraphEdge[]>): Map<string, RiskFinding[]> {
  const extra = new Map<string, RiskFinding[]>();
  const others = new Map<string, Modification[]>();
  for (const m of modifications) {
    if (m.by === m.target) extra.set(m.by, [graphFinding(model, 'graph/self-modification', 'Can change its own permissions', m, [])]);
    else listIn(others, m.by).push(m);
  }
  for (const [by, mods] of others) {
    if (extra.has(by)) continue;
    const found = pathTo(by, new Set(mods.map((m) => m.target)), out);
    if (!found) continue;
    const m = mods.find((x) => x.target === found.target)!;
    extra.set(by, [graphFinding(model, 'graph/modify-reachable', `Can become ${found.target} and change its permissions`, m, found.path)]);
  }
  return extra;
}

/**
 * Scores every node of the principal graph: its own permissions (escalation methods counted as the graph
 * resolves them), plus an administrator finding when it can change its own permissions or those of a
 * principal it can become; then each node's effective risk is the worst node it can reach, with the
 * shortest path there. Nodes are taken from the highest own score down, each assigned (by a backward
 * search) to the first, so the whole is linear in nodes and edges.
 */
export function scorePrincipalGraph(scorer: RiskScorer, nodes: PrincipalNode[], options: Pick<GraphOptions, 'extraEdges'> = {}): ScoredGraph {
  const { model, index } = scorer;
  const effective = new Map(nodes.map((n) => [n.id, combinePermissions(index, n.policies, n.boundary)]));
  const graph = buildPrincipalGraph(scorer, nodes, { ...options, effective: (n) => effective.get(n.id)! });
  const out = new Map<string, GraphEdge[]>();
  const into = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) {
    listIn(out, e.from).push(e);
    listIn(into, e.to).push(e);
  }

  const extra = escalationFindings(model, graph.modifications, out);
  const risks = new Map<string, NodeRisk>();
  for (const node of nodes) risks.set(node.id, { node, own: scorer.scorePermissions(node.policies, node.boundary, { graphResolved: true, extra: extra.get(node.id), effective: effective.get(node.id) }) });

  const order = [...risks.values()].sort((a, b) => b.own.score - a.own.score || a.node.id.localeCompare(b.node.id));
  const assigned = new Map<string, { target: NodeRisk; next?: GraphEdge }>();
  for (const target of order) {
    if (assigned.has(target.node.id)) continue;
    assigned.set(target.node.id, { target });
    const queue = [target.node.id];
    for (let i = 0; i < queue.length; i++) {
      for (const e of into.get(queue[i]!) ?? []) {
        if (assigned.has(e.from)) continue;
        assigned.set(e.from, { target, next: e });
        queue.push(e.from);
      }
    }
  }
  for (const risk of risks.values()) {
    const { target } = assigned.get(risk.node.id)!;
    if (target === risk || target.own.score <= risk.own.score) continue;
    const path: GraphEdge[] = [];
    for (let at = assigned.get(risk.node.id)!; at.next; at = assigned.get(at.next.to)!) path.push(at.next);
    const { node } = target;
    risk.reach = { node: node.id, kind: node.kind, name: node.name, arn: node.arn, score: target.own.score, tier: target.own.findings[0]?.tier ?? model.tiers[model.tiers.length - 1]!.id, path: collapseHubs(path) };
  }
  return { graph, risks, out };
}

/**
 * One node changed (a grant adds policies to a user) against an already scored graph: its own score and
 * the worst node it can then reach. Only its edges are looked for again; every other node keeps its
 * edges and own score, which a change to this node cannot alter.
 */
export function rescoreNode(scorer: RiskScorer, scored: ScoredGraph, node: PrincipalNode): Pick<NodeRisk, 'own' | 'reach'> {
  const { model } = scorer;
  const nodes = scored.graph.nodes.map((n) => (n.id === node.id ? node : n));
  const mine = buildPrincipalGraph(scorer, nodes, { actors: new Set([node.id]) });
  const out = new Map(scored.out);
  out.set(node.id, mine.edges.filter((e) => e.from === node.id));
  for (const e of mine.edges) if (e.from !== node.id && !out.has(e.from)) out.set(e.from, mine.edges.filter((x) => x.from === e.from));
  const extra = escalationFindings(model, mine.modifications, out).get(node.id);
  const own = scorer.scorePermissions(node.policies, node.boundary, { graphResolved: true, extra });

  // Breadth first from the node: the reachable node of the highest own score, by the shortest path.
  const via = new Map<string, GraphEdge | null>([[node.id, null]]);
  const queue = [node.id];
  let best: NodeRisk | undefined;
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    const risk = id === node.id ? undefined : scored.risks.get(id);
    if (risk && risk.own.score > (best?.own.score ?? own.score)) best = risk;
    for (const e of out.get(id) ?? []) {
      if (!via.has(e.to)) {
        via.set(e.to, e);
        queue.push(e.to);
      }
    }
  }
  if (!best) return { own };
  const path: GraphEdge[] = [];
  for (let e = via.get(best.node.id); e; e = via.get(e.from)) path.unshift(e);
  const target = best.node;
  return { own, reach: { node: target.id, kind: target.kind, name: target.name, arn: target.arn, score: best.own.score, tier: best.own.findings[0]?.tier ?? model.tiers[model.tiers.length - 1]!.id, path: collapseHubs(path) } };
}
