import { formatDuration, parseDuration } from '../duration.js';
import { maxAccessMs } from '../grant-limits.js';
import type { OrgConfig, Resource } from '../model.js';

/**
 * The longest access worth suggesting for a resource: its real limit (`maxAccessMs`, DESIGN §3 rule 6).
 * For a resource the repository no longer declares (or whose level is unknown) nothing tells the limit;
 * the shortest any level allows is the one suggestion no level refuses.
 */
export function suggestedAccessMs(org: OrgConfig, resource: Resource | undefined): number {
  const limit = resource ? maxAccessMs(org, resource) : 0;
  if (limit > 0) return limit;
  const levels = Object.values(org.sensitivity).map((level) => parseDuration(level.maxAccess));
  return levels.length > 0 ? Math.min(...levels) : 86_400_000;
}

export interface RenewalTarget {
  resource: string;
  /** When the access ends (or ended). */
  expires: string;
  approvalExpires?: string;
}

/**
 * The `grantops request` line that gets the access back, sized so the command accepts it:
 * - a renewal (the approval outlives the access) asks for the resource's limit, or, when the approval
 *   ends sooner than that after the access does, for access until the approval ends (a renewal may not
 *   outlast its approval, and from any time after the access ended `--until` that end stays within the limit);
 * - a new request (nothing left to renew under) asks for the limit and needs a reason.
 */
export function renewalCommand(target: RenewalTarget, limitMs: number, kind: 'renewal' | 'new'): string {
  const base = `grantops request --resource ${target.resource}`;
  if (kind === 'new') return `${base} --for-duration ${formatDuration(limitMs)} --reason "..."`;
  const approvalLeft = target.approvalExpires ? Date.parse(target.approvalExpires) - Date.parse(target.expires) : Number.NaN;
  if (approvalLeft > 0 && approvalLeft < limitMs) return `${base} --until ${target.approvalExpires}`;
  return `${base} --for-duration ${formatDuration(limitMs)}`;
}
