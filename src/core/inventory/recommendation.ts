import type { AccountSnapshot } from '../iam/account-snapshot.js';
import type { AccessRepo } from '../model.js';
import type { AccountPrincipals } from '../risk/account-principals.js';
import type { ResourceRisk } from '../risk/resource-risk.js';
import type { ResolvedRiskSettings } from '../risk/risk-settings.js';
import type { RiskScorer } from '../risk/risk-scorer.js';
import type { AccountRiskReport } from '../risk/score-account.js';
import type { UserAttachment } from './explain-access.js';

/** One thing worth doing about an account, with why and what. */
export interface Recommendation {
  /** Stable id of the rule that made it, e.g. `access-key/old`. */
  rule: string;
  /** What it is about: `user/kramer`, `role/deployer`, a grant or resource file path. */
  subject: string;
  reason: string;
  /** The suggested action, as a person would do it. */
  action: string;
  /** The repository file it concerns, when there is one. */
  file?: string;
}

/** Everything the recommendation rules look at; built once per system. */
export interface RecommendationContext {
  system: string;
  snapshot: AccountSnapshot;
  repo?: AccessRepo;
  now: Date;
  settings: ResolvedRiskSettings;
  scorer: RiskScorer;
  principals: AccountPrincipals;
  risk: AccountRiskReport;
  attachments: UserAttachment[];
  /** Risk of each resource of this system, by id. */
  resources: Map<string, ResourceRisk>;
}

/** One rule, one file under recommendations/: pure, given the context. */
export type RecommendationRule = (context: RecommendationContext) => Recommendation[];

export const DAY_MS = 86_400_000;

export function daysBetween(earlier: string | undefined, now: Date): number | undefined {
  if (!earlier) return undefined;
  const t = Date.parse(earlier.replace(' ', 'T'));
  return Number.isNaN(t) ? undefined : Math.floor((now.getTime() - t) / DAY_MS);
}
