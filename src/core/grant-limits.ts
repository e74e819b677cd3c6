import { parseDuration, formatDuration } from './duration.js';
import type { GrantFile, OrgConfig, Resource } from './model.js';

export interface LimitProblem {
  /** The grant field the problem is about. */
  field: 'expires' | 'approvalExpires';
  rule: 'grant/expires-after-approval' | 'grant/max-access' | 'grant/approval-ttl' | 'grant/invalid-time';
  message: string;
}

/** The longest access the resource allows: its own `maxAccess` when shorter than its sensitivity's. */
export function maxAccessMs(org: OrgConfig, resource: Resource): number {
  const level = org.sensitivity[resource.effectiveSensitivity];
  const fromLevel = level ? parseDuration(level.maxAccess) : 0;
  return resource.maxAccess ? Math.min(fromLevel, parseDuration(resource.maxAccess)) : fromLevel;
}

export function approvalTtlMs(org: OrgConfig, resource: Resource): number {
  const level = org.sensitivity[resource.effectiveSensitivity];
  return level ? parseDuration(level.approvalTtl) : 0;
}

/**
 * DESIGN §3 rule 6: `expires` no further than maxAccess from now, `approvalExpires` no further than
 * approvalTtl, and access never outliving its approval. One place, used by validate and by the evaluator.
 */
export function checkGrantLimits(org: OrgConfig, resource: Resource, grant: GrantFile, now: Date): LimitProblem[] {
  const problems: LimitProblem[] = [];
  const expires = Date.parse(grant.expires);
  const approvalExpires = grant.approvalExpires === undefined ? undefined : Date.parse(grant.approvalExpires);
  if (Number.isNaN(expires)) {
    return [{ field: 'expires', rule: 'grant/invalid-time', message: `expires "${grant.expires}" is not a valid time` }];
  }
  if (approvalExpires !== undefined && Number.isNaN(approvalExpires)) {
    return [{ field: 'approvalExpires', rule: 'grant/invalid-time', message: `approvalExpires "${grant.approvalExpires}" is not a valid time` }];
  }
  if (approvalExpires !== undefined && expires > approvalExpires) {
    problems.push({
      field: 'expires',
      rule: 'grant/expires-after-approval',
      message: `expires (${grant.expires}) is later than approvalExpires (${grant.approvalExpires}): access cannot outlive its approval`,
    });
  }
  const maxAccess = maxAccessMs(org, resource);
  if (expires - now.getTime() > maxAccess) {
    problems.push({
      field: 'expires',
      rule: 'grant/max-access',
      message: `expires (${grant.expires}) is more than ${formatDuration(maxAccess)} from now (${now.toISOString()}), the longest access "${resource.id}" (${resource.effectiveSensitivity}) allows`,
    });
  }
  if (approvalExpires !== undefined) {
    const ttl = approvalTtlMs(org, resource);
    if (approvalExpires - now.getTime() > ttl) {
      problems.push({
        field: 'approvalExpires',
        rule: 'grant/approval-ttl',
        message: `approvalExpires (${grant.approvalExpires}) is more than ${formatDuration(ttl)} from now (${now.toISOString()}), the approvalTtl of ${resource.effectiveSensitivity}`,
      });
    }
  }
  return problems;
}
