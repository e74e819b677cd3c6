import { ACCESS_LEVELS } from './action-catalogue.js';
import type { ActionIndex } from './action-index.js';
import { RISK_CATEGORIES, RISK_SEVERITIES, type RiskModel } from './risk-model.js';

/**
 * Problems with a risk model, against the catalogue it will score with: an action the catalogue does not
 * know would silently never match, so it is a problem, not a skip. Empty means usable.
 */
export function checkRiskModel(model: RiskModel, index: ActionIndex): string[] {
  const problems: string[] = [];
  if (typeof model.version !== 'string' || model.version === '') problems.push('the model has no version');
  for (const severity of RISK_SEVERITIES) {
    const weight = model.severities?.[severity];
    if (typeof weight !== 'number' || weight < 0 || weight >= 100) problems.push(`severity "${severity}" needs a weight in [0, 100)`);
  }
  const tiers = model.tiers ?? [];
  if (tiers.length === 0) problems.push('the model has no tiers');
  tiers.forEach((t, i) => {
    if (typeof t.floor !== 'number' || t.floor < 0 || t.floor > 100) problems.push(`tier "${t.id}" needs a floor in [0, 100]`);
    if (i > 0 && !(t.floor < tiers[i - 1]!.floor)) problems.push(`tier "${t.id}" must have a lower floor than "${tiers[i - 1]!.id}"`);
  });
  for (const edge of Object.values(model.graph ?? {})) if (!model.sources?.[edge.source]) problems.push(`graph source "${edge.source}" is not among the model's sources`);
  const ids = new Set<string>();
  for (const rule of model.rules ?? []) {
    const where = `rule "${rule.id}"`;
    if (ids.has(rule.id)) problems.push(`${where} is defined twice`);
    ids.add(rule.id);
    if (!(RISK_CATEGORIES as readonly string[]).includes(rule.category)) problems.push(`${where}: unknown category "${rule.category}"`);
    if (!(RISK_SEVERITIES as readonly string[]).includes(rule.severity)) problems.push(`${where}: unknown severity "${rule.severity}"`);
    if (!model.sources?.[rule.source]) problems.push(`${where}: source "${rule.source}" is not among the model's sources`);
    if (!tiers.some((t) => t.id === rule.tier)) problems.push(`${where}: unknown tier "${rule.tier}"`);
    if (rule.graph && 'action' in rule.graph && index.indexOf(rule.graph.action) === undefined) problems.push(`${where}: graph action "${rule.graph.action}" is not in the catalogue`);
    if (rule.match === 'all' || rule.match === 'any') {
      if (rule.actions.length === 0) problems.push(`${where} lists no actions`);
      for (const action of rule.actions) {
        if (index.indexOf(action) === undefined) problems.push(`${where}: action "${action}" is not in the catalogue (${index.source})`);
      }
    } else if (rule.match === 'access-level') {
      for (const level of rule.accessLevels) {
        if (!(ACCESS_LEVELS as readonly string[]).includes(level)) problems.push(`${where}: unknown access level "${level}"`);
      }
    } else if (rule.match === 'coverage') {
      if (!(rule.minShare > 0 && rule.minShare <= 1)) problems.push(`${where}: minShare must be in (0, 1]`);
    } else if (rule.match !== 'service-wildcard' && rule.match !== 'administrator') {
      problems.push(`${where}: unknown match "${(rule as { match: string }).match}"`);
    }
  }
  return problems;
}
