import data from './risk-model.json' with { type: 'json' };

/**
 * The risk model's shape. The lists themselves (which actions, which severity, after which published
 * source) live in `risk-model.json`, versioned data rather than code.
 */
export const RISK_SEVERITIES = ['low', 'medium', 'high'] as const;
export type RiskSeverity = (typeof RISK_SEVERITIES)[number];

export const RISK_CATEGORIES = [
  'broad-access',
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

/**
 * A band of the score, by how much of the account a principal can reach. Tiers are ordered from the most
 * to the least; a tier's scores run from its `floor` to just below the next higher tier's floor, so a
 * finding of a higher tier always outscores any number of lower ones.
 */
export interface RiskTier {
  id: string;
  floor: number;
  description: string;
}

/**
 * How a privilege-escalation method lets one principal become another in the principal graph:
 * - `pass-role`: pass a role that trusts `service` (iam:PassRole on the role) into new compute;
 * - `service-role`: use existing compute of `service` that runs as a role (with an instance profile, for EC2);
 * - `become-user`: get credentials of another user (`action` on the user);
 * - `join-group`: add oneself to a group (`action` on the group);
 * - `rewrite-trust`: make a role trust oneself (`action` on the role);
 * - `modify`: change the permissions of a `target` (`action` on it): oneself, or a principal one can become.
 */
export type GraphMethod =
  | { kind: 'pass-role'; service: string }
  | { kind: 'service-role'; service: string; instanceProfile?: boolean }
  | { kind: 'become-user' | 'join-group' | 'rewrite-trust'; action: string }
  | { kind: 'modify'; target: 'user' | 'role' | 'group' | 'policy'; action: string };

interface RuleBase {
  /** Stable id, `category/name`. */
  id: string;
  category: RiskCategory;
  severity: RiskSeverity;
  /** Key into the model's `tiers`. */
  tier: string;
  /** How the method is an edge of the principal graph (privilege escalation only). */
  graph?: GraphMethod;
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

/** Found when every action is allowed on every resource, unconditionally. */
export interface AdministratorRule extends RuleBase {
  match: 'administrator';
}

/** Found when at least `minShare` of all catalogue actions are allowed on every resource, unconditionally. */
export interface CoverageRule extends RuleBase {
  match: 'coverage';
  minShare: number;
}

export type RiskRule = CombinationRule | AnyActionRule | AccessLevelRule | ServiceWildcardRule | AdministratorRule | CoverageRule;

export interface RiskModel {
  version: string;
  description: string;
  sources: Record<string, RiskSource>;
  /** Each severity's weight, 0-100, in the score. */
  severities: Record<RiskSeverity, number>;
  categories: Record<RiskCategory, string>;
  /** Most reach first. */
  tiers: RiskTier[];
  rules: RiskRule[];
  /**
   * The tier of a graph method's finding once the principal graph has decided what the method reaches in
   * the account (that reach is then scored on its own): having the method is no longer the whole story.
   */
  resolvedMethodTier: string;
  /** Edges and findings of the principal graph that no rule describes, with their sources. */
  graph: Record<'assumeRole' | 'selfModification', { source: string; description: string }>;
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

/** Position of a tier, 0 for the one of most reach; the last for an unknown id. */
export function tierRank(model: RiskModel, tier: string): number {
  const i = model.tiers.findIndex((t) => t.id === tier);
  return i < 0 ? model.tiers.length - 1 : i;
}

/** One tier down (less reach); the lowest stays. */
export function lowerTier(model: RiskModel, tier: string): string {
  return model.tiers[Math.min(tierRank(model, tier) + 1, model.tiers.length - 1)]!.id;
}
