import data from './risk-model.json' with { type: 'json' };

/**
 * The risk model's shape. The lists themselves (which actions, which severity, after which published
 * source) live in `risk-model.json`, versioned data rather than code.
 */
export const RISK_SEVERITIES = ['low', 'medium', 'high'] as const;
export type RiskSeverity = (typeof RISK_SEVERITIES)[number];

export const RISK_CATEGORIES = [
  'privilege-escalation',
  'resource-exposure',
  'credentials-exposure',
  'data-exfiltration',
  'infrastructure-modification',
  'service-wildcard',
] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

export interface RiskSource {
  title: string;
  author: string;
  url: string;
  covers: string;
}

interface RuleBase {
  /** Stable id, `category/name`. */
  id: string;
  category: RiskCategory;
  severity: RiskSeverity;
  /** Key into the model's `sources`. */
  source: string;
  description: string;
}

/** Found when every one of `actions` is allowed (a privilege-escalation method). */
export interface CombinationRule extends RuleBase {
  match: 'all';
  actions: string[];
}

/** Found when any of `actions` is allowed; the finding lists those that are. */
export interface AnyActionRule extends RuleBase {
  match: 'any';
  actions: string[];
}

/** Found when actions of these access levels are allowed on `*` without a condition. */
export interface AccessLevelRule extends RuleBase {
  match: 'access-level';
  accessLevels: string[];
}

/** Found when every action of a service is allowed. */
export interface ServiceWildcardRule extends RuleBase {
  match: 'service-wildcard';
}

export type RiskRule = CombinationRule | AnyActionRule | AccessLevelRule | ServiceWildcardRule;

export interface RiskModel {
  version: string;
  description: string;
  sources: Record<string, RiskSource>;
  /** Each severity's weight, 0-100, in the score. */
  severities: Record<RiskSeverity, number>;
  categories: Record<RiskCategory, string>;
  rules: RiskRule[];
}

/** The model grantops ships; `checkRiskModel` (run when a scorer is built) guards its shape. */
export const DEFAULT_RISK_MODEL = data as RiskModel;

/** One step down the severity scale; undefined below the lowest (the finding is then dropped). */
export function lowerSeverity(severity: RiskSeverity): RiskSeverity | undefined {
  return RISK_SEVERITIES[RISK_SEVERITIES.indexOf(severity) - 1];
}

export function compareSeverity(a: RiskSeverity, b: RiskSeverity): number {
  return RISK_SEVERITIES.indexOf(a) - RISK_SEVERITIES.indexOf(b);
}
