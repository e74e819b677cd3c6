import { accessKeyAge } from './recommendations/access-key-age.js';
import { accessKeyUnused } from './recommendations/access-key-unused.js';
import { accessWithoutExpiry } from './recommendations/access-without-expiry.js';
import { adminAttachedToUser } from './recommendations/admin-attached-to-user.js';
import { consoleWithoutMfa } from './recommendations/console-without-mfa.js';
import { sensitivityBelowRisk } from './recommendations/sensitivity-below-risk.js';
import { unusedGrant } from './recommendations/unused-grant.js';
import { unusedRole } from './recommendations/unused-role.js';
import type { Recommendation, RecommendationContext, RecommendationRule } from './recommendation.js';

export const RECOMMENDATION_RULES: Record<string, RecommendationRule> = {
  'access-key/old': accessKeyAge,
  'access-key/unused': accessKeyUnused,
  'user/console-without-mfa': consoleWithoutMfa,
  'user/direct-admin-policy': adminAttachedToUser,
  'grant/unused': unusedGrant,
  'role/unused': unusedRole,
  'access/no-expiry': accessWithoutExpiry,
  'resource/sensitivity-below-risk': sensitivityBelowRisk,
};

/** Runs every rule; a rule that throws is itself reported (fail closed), never skipped. */
export function recommend(context: RecommendationContext, rules: Readonly<Record<string, RecommendationRule>> = RECOMMENDATION_RULES): Recommendation[] {
  const out: Recommendation[] = [];
  for (const [id, rule] of Object.entries(rules)) {
    try {
      out.push(...rule(context));
    } catch (error) {
      out.push({ rule: id, subject: `system/${context.system}`, reason: `the check failed: ${error instanceof Error ? error.message : String(error)}`, action: 'report this; until it is fixed, check this by hand' });
    }
  }
  return out;
}
