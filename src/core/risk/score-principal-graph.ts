import type { RiskFinding } from './find-risk-findings.js';
import { combinePermissions } from './policy-permissions.js';
import { buildPrincipalGraph, collapseHubs, listIn, type GraphEdge, type GraphOptions, type Modification, type PrincipalGraph, type PrincipalNode } from './principal-graph.js';
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

  const extra = new Map<string, RiskFinding[]>();
  const others = new Map<string, Modification[]>();
  for (const m of graph.modifications) {
    if (m.by === m.target) extra.set(m.by, [graphFinding(model, 'graph/self-modification', 'Can change its own permissions', m, [])]);
    else listIn(others, m.by).push(m);
  }
  for (const [by, mods] of others) {
    const found = pathTo(by, new Set(mods.map((m) => m.target)), out);
    if (!found) continue;
    const m = mods.find((x) => x.target === found.target)!;
    extra.set(by, [graphFinding(model, 'graph/modify-reachable', `Can become ${found.target} and change its permissions`, m, found.path)]);
  }

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
  return { graph, risks };
}
