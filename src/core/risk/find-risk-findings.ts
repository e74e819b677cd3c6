import type { AccessLevel } from './action-catalogue.js';
import type { ActionIndex } from './action-index.js';
import type { ActionSet } from './action-set.js';
import type { EffectivePermissions } from './policy-permissions.js';
import { lowerSeverity, type RiskCategory, type RiskModel, type RiskRule, type RiskSeverity } from './risk-model.js';

export interface RiskFinding {
  /** The model rule's id, e.g. `privilege-escalation/create-policy-version`. */
  rule: string;
  category: RiskCategory;
  severity: RiskSeverity;
  /** The allowed actions the finding is about (`service:*` for a service wildcard); built when first read. */
  readonly actions: string[];
  /** Key of the published source in the model's `sources`. */
  source: string;
  /**
   * Some of the actions are only allowed on specific resources or under a condition: the severity is then
   * one step below the rule's.
   */
  constrained: boolean;
  description: string;
}

/** A model rule resolved against one catalogue, ready to run many times. */
type CompiledRule =
  | { rule: RiskRule & { match: 'all' | 'any' }; actions: number[] }
  | { rule: RiskRule & { match: 'access-level' }; mask: ActionSet }
  | { rule: RiskRule & { match: 'service-wildcard' } };

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
      case 'service-wildcard':
        return { rule };
    }
  });
}

function finding(rule: RiskRule, actions: () => string[], constrained: boolean): RiskFinding | undefined {
  const severity = constrained ? lowerSeverity(rule.severity) : rule.severity;
  if (severity === undefined) return undefined;
  const out = { rule: rule.id, category: rule.category, severity, source: rule.source, constrained, description: rule.description } as RiskFinding;
  // An administrator's findings name ~10,000 actions each; across thousands of principals, building
  // those lists eagerly is most of the work. The list is made when first read (rendering, JSON), once.
  let names: string[] | undefined;
  Object.defineProperty(out, 'actions', { enumerable: true, get: () => (names ??= actions()) });
  return out;
}

/** Runs every rule of the model over what a policy or principal is effectively allowed. */
export function findRiskFindings(index: ActionIndex, rules: readonly CompiledRule[], permissions: EffectivePermissions): RiskFinding[] {
  const { allowed, unrestricted } = permissions;
  const out: RiskFinding[] = [];
  const push = (f: RiskFinding | undefined) => f && out.push(f);
  for (const compiled of rules) {
    const { rule } = compiled;
    if ('actions' in compiled) {
      if (compiled.actions.length === 0) continue;
      if (rule.match === 'all') {
        if (!compiled.actions.every((i) => allowed.has(i))) continue;
        push(finding(rule, () => compiled.actions.map((i) => index.names[i]!), !compiled.actions.every((i) => unrestricted.has(i))));
      } else {
        const matched = compiled.actions.filter((i) => allowed.has(i));
        if (matched.length === 0) continue;
        push(finding(rule, () => matched.map((i) => index.names[i]!), !matched.some((i) => unrestricted.has(i))));
      }
    } else if ('mask' in compiled) {
      if (!unrestricted.intersects(compiled.mask)) continue;
      const matched = unrestricted.clone().retainAll(compiled.mask);
      push(finding(rule, () => matched.indices().map((i) => index.names[i]!), false));
    } else {
      const services = index.services.filter((s) => s.end > s.start && allowed.hasRange(s.start, s.end));
      if (services.length === 0) continue;
      const constrained = services.some((s) => !unrestricted.hasRange(s.start, s.end));
      push(finding(rule, () => services.map((s) => `${s.prefix}:*`), constrained));
    }
  }
  return out;
}

/**
 * 0-100: each finding independently adds its severity's weight to the chance of harm,
 * score = 100 × (1 − Π(1 − weight/100)). Bounded, monotone (a finding never lowers it), and several
 * high findings approach 100 without one low finding ever reaching a high one's score.
 */
export function scoreFindings(model: RiskModel, findings: readonly RiskFinding[]): number {
  let safe = 1;
  for (const f of findings) safe *= 1 - model.severities[f.severity] / 100;
  return Math.round(100 * (1 - safe));
}
