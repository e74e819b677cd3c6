import type { UserDetail } from '../iam/account-snapshot.js';
import { DAY_MS, daysBetween as daysBefore } from '../inventory/recommendation.js';

/** What the use is judged from: per-service last use, or (lacking it) the user's sign-ins and key use. */
export type GrantUseEvidence = 'services' | 'credentials';

/**
 * Whether a grantee used what a grant hands out, as far as the account read-out can tell:
 * - `no-facts`: the read-out holds no usage for the user, so nothing may be said either way;
 * - `in-use`: used within the window (or the user is younger than the window and never active);
 * - `unused`: no use within the window. `lastUsedDays` absent means no recorded use at all.
 */
export type GrantUse =
  | { verdict: 'no-facts' }
  | { verdict: 'in-use'; evidence: GrantUseEvidence; lastUsedDays?: number }
  | { verdict: 'unused'; evidence: GrantUseEvidence; lastUsedDays?: number; iamUser: string; services: string[]; windowDays: number };

export interface GrantUseInput {
  user: UserDetail;
  /**
   * The service prefixes the resource allows (what "using the grant" means); undefined when they are not
   * known (the resource's policy is not in the read-out): then only the user's overall activity counts.
   */
  services: readonly string[] | undefined;
  /** The time use is judged at: now, or when the access ended for a grant that has lapsed. */
  at: Date;
  windowMs: number;
}

/**
 * The one rule for "unused" (the `grant/unused` recommendation, the expiry notice and the renewal pull
 * request all ask it): per-service last use when it was collected, else, when credential facts were
 * collected, a user with no sign-in and no access-key use at all within the window. No evidence, no claim.
 */
export function assessGrantUse({ user, services, at, windowMs }: GrantUseInput): GrantUse {
  const windowDays = Math.round(windowMs / DAY_MS);
  if (user.ServiceLastAccessed && services !== undefined) {
    const uses = user.ServiceLastAccessed.filter((s) => services.includes(s.ServiceNamespace) && s.LastAuthenticated);
    const latest = uses.map((s) => daysBefore(s.LastAuthenticated, at)).filter((d): d is number => d !== undefined).sort((a, b) => a - b)[0];
    if (latest !== undefined && latest <= windowDays) return { verdict: 'in-use', evidence: 'services', lastUsedDays: latest };
    return { verdict: 'unused', evidence: 'services', ...(latest !== undefined ? { lastUsedDays: latest } : {}), iamUser: user.UserName, services: [...services], windowDays };
  }
  // Credential facts were collected when either is present; absent ones would say nothing about use.
  if (user.PasswordEnabled === undefined && user.AccessKeys === undefined) return { verdict: 'no-facts' };
  const activity = [user.PasswordLastUsed, ...(user.AccessKeys ?? []).map((k) => k.LastUsedDate)].map((d) => daysBefore(d, at)).filter((d): d is number => d !== undefined);
  const latest = activity.sort((a, b) => a - b)[0];
  if (latest === undefined) {
    const created = daysBefore(user.CreateDate, at);
    // A user younger than the window (or of unknown age) has had no chance to be idle that long.
    if (created === undefined || created <= windowDays) return { verdict: 'in-use', evidence: 'credentials' };
    return { verdict: 'unused', evidence: 'credentials', iamUser: user.UserName, services: [...(services ?? [])], windowDays };
  }
  if (latest <= windowDays) return { verdict: 'in-use', evidence: 'credentials', lastUsedDays: latest };
  return { verdict: 'unused', evidence: 'credentials', lastUsedDays: latest, iamUser: user.UserName, services: [...(services ?? [])], windowDays };
}

export type UnusedGrantUse = Extract<GrantUse, { verdict: 'unused' }>;

/** The short mark: `not used in 52 days`, or `no recorded use`. */
export function unusedMark(use: UnusedGrantUse): string {
  return use.lastUsedDays === undefined ? 'no recorded use' : `not used in ${use.lastUsedDays} days`;
}

/** The evidence in words, as the `grant/unused` recommendation has always said it. */
export function describeUnusedGrant(use: UnusedGrantUse): string {
  if (use.evidence === 'services') {
    return use.lastUsedDays === undefined
      ? `${use.iamUser} has not used ${use.services.join(', ') || 'its services'} within IAM's tracking period`
      : `not used in ${use.lastUsedDays} days: ${use.iamUser} last used ${use.services.join(', ')} ${use.lastUsedDays} days ago`;
  }
  return use.lastUsedDays === undefined
    ? `${use.iamUser} has never signed in or used an access key`
    : `not used in ${use.lastUsedDays} days: ${use.iamUser} has not signed in or used an access key since`;
}

/**
 * The evidence in one clause, for people deciding whether to keep the access (expiry notice, renewal
 * pull request). `ago` says what the day count is relative to: `ago`, or e.g. `before the access ended`.
 */
export function describeUseEvidence(use: UnusedGrantUse, ago = 'ago'): string {
  const services = use.services.join(', ') || 'its services';
  if (use.evidence === 'services') {
    return use.lastUsedDays === undefined
      ? `IAM has no record of \`${use.iamUser}\` using ${services} within its tracking period`
      : `\`${use.iamUser}\` last used ${services} ${use.lastUsedDays} days ${ago}`;
  }
  return use.lastUsedDays === undefined
    ? `\`${use.iamUser}\` has never signed in or used an access key`
    : `\`${use.iamUser}\` last signed in or used an access key ${use.lastUsedDays} days ${ago}`;
}
