import { parseDuration } from '../duration.js';
import type { AccessRepo } from '../model.js';
import { findExpiringGrants, type ExpiringGrant } from './find-expiring-grants.js';
import { findLapsedGrants, type Revocation } from './find-lapsed-grants.js';
import { settleBreakGlass } from './settle-break-glass.js';
import type { BreakGlassRatification } from '../approval/ratify-break-glass.js';

/** What an expire run finds at `now`: what to revoke and record, and whom to warn. */
export interface ExpiryPlan {
  now: string;
  /** Grant files the revocation pull request changes, sorted by path. */
  revocations: Revocation[];
  /** Active grants ending within `expiry.warnBefore`, sorted by path. */
  expiring: ExpiringGrant[];
  /** `expiry.warnBefore` of grantops.yaml; absent when it sets none (then nobody is warned). */
  warnBefore?: string;
}

/**
 * The pure heart of `grantops expire`: one pass to find lapsed grants, one to find expiring ones; break-glass
 * grants are settled by where their ratification stands (settle-break-glass.ts).
 */
export function planExpiry(repo: Pick<AccessRepo, 'grants' | 'org'>, now: Date, ratifications: readonly BreakGlassRatification[] = []): ExpiryPlan {
  const warnBefore = repo.org?.value.expiry?.warnBefore;
  const lapsed = findLapsedGrants(repo, now);
  const revocations = ratifications.length > 0 ? settleBreakGlass(lapsed, repo, ratifications, now) : lapsed;
  return {
    now: now.toISOString(),
    revocations,
    expiring: warnBefore ? findExpiringGrants(repo, now, parseDuration(warnBefore)) : [],
    ...(warnBefore ? { warnBefore } : {}),
  };
}

/** The grant files whose access this run removes from IAM (the rest of the plan is left alone). */
export function lapsedAccessFiles(plan: ExpiryPlan): Set<string> {
  return new Set(plan.revocations.filter((r) => r.accessLapsed).map((r) => r.file));
}
