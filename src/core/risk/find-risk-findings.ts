import type { AccessLevel } from './action-catalogue.js';
import type { ActionIndex } from './action-index.js';
import type { ActionSet } from './action-set.js';
import type { EffectivePermissions } from './policy-permissions.js';
import { compareSeverity, lowerSeverity, lowerTier, tierRank, type RiskCategory, type RiskModel, type RiskRule, type RiskSeverity } from './risk-model.js';

export interface RiskFinding {
  /** The model rule's id, e.g. `privilege-escalation/create-policy-version`. */
  rule: string;
  category: RiskCategory;
  severity: RiskSeverity;
  /** The model tier it counts in: how much of the account it reaches. */
  tier: string;
  /** What it adds to the score; the points of a report's findings sum to its score. */
  points: number;
  /** The allowed actions the finding is about (`service:*` for a service wildcard); built when first read. */
  readonly actions: string[];
  /** Key of the published source in the model's `sources`. */
  source: string;
  /**
   * Some of the actions are only allowed on specific resources or under a condition: the severity is then
   * one step below the rule's, and so is the tier.
   */
  constrained: boolean;
  description: string;
}

/** A model rule resolved against one catalogue, ready to run many times. */
export type CompiledRule =
  | { rule: RiskRule & { match: 'all' | 'any' }; actions: number[] }
  | { rule: RiskRule & { match: 'access-level' }; mask: ActionSet }
  | { rule: RiskRule & { match: 'service-wildcard' | 'administrator' | 'coverage' } };

export function compileRiskRules(model: RiskModel, index: ActionIndex): CompiledRule[] {
  return model.rules.map((rule): CompiledRule => {
    switch (rule.match) {
      case 'all':
      case 'any':
        return { rule, actions: rule.actions.map((a) => index.indexOf(a)).filter((i): i is number => i !== undefined) };
      case 'access-level': {
        const mask = index.empty();
        for (const level of rule.accessLevels) mask.addAll(index.byLevel[level as AccessLevel]);
        return { rule, mask };
      }
      default:
        return { rule };
    }
  });
}

export interface FindOptions {
  /** The principal graph decides what graph methods reach: their findings count in `model.resolvedMethodTier`. */
  graphResolved?: boolean;
}

function finding(model: RiskModel, rule: RiskRule, actions: () => string[], constrained: boolean, options: FindOptions): RiskFinding | undefined {
  const severity = constrained ? lowerSeverity(rule.severity) : rule.severity;
  if (severity === undefined) return undefined;
  let tier = options.graphResolved && rule.graph ? model.resolvedMethodTier : rule.tier;
  if (constrained) tier = lowerTier(model, tier);
  const out = { rule: rule.id, category: rule.category, severity, tier, points: 0, source: rule.source, constrained, description: rule.description } as RiskFinding;
  // An administrator's findings name ~10,000 actions each; across thousands of principals, building
  // those lists eagerly is most of the work. The list is made when first read (rendering, JSON), once.
  let names: string[] | undefined;
  Object.defineProperty(out, 'actions', { enumerable: true, get: () => (names ??= actions()) });
  return out;
}

/** Runs every rule of the model over what a policy or principal is effectively allowed. */
export function findRiskFindings(model: RiskModel, index: ActionIndex, rules: readonly CompiledRule[], permissions: EffectivePermissions, options: FindOptions = {}): RiskFinding[] {
  const { allowed, unrestricted } = permissions;
  const out: RiskFinding[] = [];
  let count: number | undefined;
  const push = (rule: RiskRule, actions: () => string[], constrained: boolean) => {
    const f = finding(model, rule, actions, constrained, options);
    if (f) out.push(f);
  };
  for (const compiled of rules) {
    const { rule } = compiled;
    if ('actions' in compiled) {
      if (compiled.actions.length === 0) continue;
      if (rule.match === 'all') {
        if (!compiled.actions.every((i) => allowed.has(i))) continue;
        push(rule, () => compiled.actions.map((i) => index.names[i]!), !compiled.actions.every((i) => unrestricted.has(i)));
      } else {
        const matched = compiled.actions.filter((i) => allowed.has(i));
        if (matched.length === 0) continue;
        push(rule, () => matched.map((i) => index.names[i]!), !matched.some((i) => unrestricted.has(i)));
      }
    } else if ('mask' in compiled) {
      if (!unrestricted.intersects(compiled.mask)) continue;
      const matched = unrestricted.clone().retainAll(compiled.mask);
      push(rule, () => matched.indices().map((i) => index.names[i]!), false);
    } else if (rule.match === 'administrator') {
      if (unrestricted.isFull()) push(rule, () => ['*'], false);
    } else if (rule.match === 'coverage') {
      count ??= unrestricted.count();
      if (count < index.size && count >= rule.minShare * index.size) push(rule, () => [`${count} of ${index.size} actions`], false);
    } else {
      const services = index.services.filter((s) => s.end > s.start && allowed.hasRange(s.start, s.end));
      if (services.length === 0) continue;
      const constrained = services.some((s) => !unrestricted.hasRange(s.start, s.end));
      push(rule, () => services.map((s) => `${s.prefix}:*`), constrained);
    }
  }
  return out;
}

/** Most reach first: by tier, then severity, then rule id. */
export function compareFindings(model: RiskModel, a: Pick<RiskFinding, 'tier' | 'severity' | 'rule'>, b: Pick<RiskFinding, 'tier' | 'severity' | 'rule'>): number {
  return tierRank(model, a.tier) - tierRank(model, b.tier) || compareSeverity(b.severity, a.severity) || a.rule.localeCompare(b.rule);
}

/**
 * 0-100, ordered by reach. The finding of the highest tier sets the score to that tier's floor; each
 * further finding adds its severity's share (`severities`, as a percentage) of what is left up to the
 * tier's ceiling (just below the next higher tier's floor). So a higher tier always outscores a lower
 * one, more findings rank higher within a tier, and each finding's `points` (set here) say what it added:
 * they sum to the score. Sorts `findings` most reach first.
 */
export function scoreFindings(model: RiskModel, findings: RiskFinding[]): number {
  findings.sort((a, b) => compareFindings(model, a, b));
  const [top, ...rest] = findings;
  if (!top) return 0;
  const rank = tierRank(model, top.tier);
  const ceiling = rank === 0 ? 100 : model.tiers[rank - 1]!.floor - 1;
  let score = Math.min(model.tiers[rank]!.floor, ceiling);
  top.points = score;
  for (const f of rest) {
    f.points = Math.round((model.severities[f.severity] / 100) * (ceiling - score));
    score += f.points;
  }
  return score;
}
