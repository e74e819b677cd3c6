import type { ActionSet } from './action-set.js';
import { isAwsManagedPolicyArn } from './arn-pattern.js';
import type { Authorization } from './authorize.js';
import type { CombinationRule, GraphMethod, RiskRule } from './risk-model.js';
import type { RiskScorer } from './risk-scorer.js';
import type { Modification, PrincipalNode } from './principal-graph.js';

/** A model rule with a graph part, its actions resolved to catalogue indices. */
export type GraphRule = { rule: CombinationRule & { graph: GraphMethod }; actions: number[] };
type Can = (action: number, arn: string) => Authorization;

export interface ModifyContext {
  nodes: PrincipalNode[];
  attachedTo: Map<string, string[]>;
  members: Map<string, string[]>;
  index: RiskScorer['index'];
}

/** Whom `p` can change the permissions of through one `modify` method: every node the change reaches. */
export function modificationsOf(p: PrincipalNode, rule: RiskRule, method: GraphMethod & { kind: 'modify' }, can: Can, context: ModifyContext): Modification[] {
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
export function selfModification(p: PrincipalNode, rules: GraphRule[], allowed: ActionSet, can: Can, byId: Map<string, PrincipalNode>, index: RiskScorer['index']): Modification | undefined {
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
