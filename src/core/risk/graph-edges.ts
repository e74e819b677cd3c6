import type { GraphEdge, PrincipalNode } from './principal-graph.js';

/** The list under `key`, created empty when missing. */
export function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}

/**
 * Collects edges: one per pair of nodes (an unconditional way replaces a conditional one), and hubs.
 * A hub stands for "every role that trusts lambda.amazonaws.com" and the like: a principal allowed a
 * method everywhere gets one edge to the hub instead of one to each role, which keeps the graph linear
 * in principals plus roles. `collapseHubs` folds a hub back out of a path.
 */
export class EdgeSink {
  readonly edges: GraphEdge[] = [];
  private readonly seen = new Map<string, number>();
  /** Each hub's number of targets. */
  private readonly hubs = new Map<string, number>();

  constructor(extra: GraphEdge[] = []) {
    for (const e of extra) this.add(e);
  }

  add(edge: GraphEdge): void {
    const key = `${edge.from}\u0000${edge.to}`;
    const at = this.seen.get(key);
    if (at === undefined) {
      this.seen.set(key, this.edges.length);
      this.edges.push(edge);
    } else if (this.edges[at]!.conditional && !edge.conditional) this.edges[at] = edge;
  }

  /** `targets` is called once per hub, the first time it is used. */
  toHub(from: string, hub: string, targets: () => { node: PrincipalNode; conditional: boolean }[], via: Omit<GraphEdge, 'from' | 'to'>): void {
    let size = this.hubs.get(hub);
    if (size === undefined) {
      const list = targets();
      this.hubs.set(hub, (size = list.length));
      for (const t of list) this.add({ from: hub, to: t.node.id, rule: '', source: '', how: '', conditional: t.conditional });
    }
    if (size > 0) this.add({ from, to: hub, ...via });
  }
}

export const isHub = (id: string) => id.startsWith('hub:');

/** A path with its hub steps folded into the step before: `user/a → hub → role/b` reads `user/a → role/b`. */
export function collapseHubs(path: GraphEdge[]): GraphEdge[] {
  const out: GraphEdge[] = [];
  for (let i = 0; i < path.length; i++) {
    const e = path[i]!;
    const next = path[i + 1];
    if (isHub(e.to) && next) {
      out.push({ ...e, to: next.to, conditional: e.conditional || next.conditional });
      i++;
    } else out.push(e);
  }
  return out;
}

