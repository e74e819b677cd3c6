import type { BreakGlassRatification } from '../approval/ratify-break-glass.js';
import type { AccessRepo } from '../model.js';
import type { Revocation } from './find-lapsed-grants.js';

/**
 * What an expire run does to break-glass grants, given where each stands with its ratification:
 * - unratified past its window: the access goes now, however long `expires` still runs, and the file is
 *   deleted (a break-glass grant has no approval to renew under);
 * - still awaiting ratification when its access lapses: the access goes, but the file stays (`status:
 *   expired`) until the window closes, so the ratification can still be judged, and missed;
 * - ratified: like any grant whose access lapsed without an approval to renew under: deleted.
 */
export function settleBreakGlass(lapsed: readonly Revocation[], repo: Pick<AccessRepo, 'grants'>, ratifications: readonly BreakGlassRatification[], now: Date): Revocation[] {
  const byFile = new Map(ratifications.map((r) => [r.file, r]));
  const out: Revocation[] = [];
  for (const r of lapsed) {
    const standing = byFile.get(r.file);
    if (standing?.status === 'pending') {
      // Kept until the window closes; its access (if still provisioned) goes now.
      if (r.accessLapsed) out.push({ ...r, action: 'mark-expired', why: `break-glass awaiting ratification until ${standing.deadline}: the file stays until then` });
      continue;
    }
    out.push(standing?.status === 'unratified' ? { ...r, action: 'delete', why: `break-glass not ratified: ${standing.why}` } : r);
  }
  const listed = new Set(lapsed.map((r) => r.file));
  for (const standing of ratifications) {
    if (standing.status !== 'unratified' || listed.has(standing.file)) continue;
    const grant = repo.grants.get(standing.file)?.value;
    if (!grant || grant.status !== 'active') continue;
    out.push({ file: standing.file, user: grant.user, resource: grant.resource, expires: grant.expires, accessLapsed: true, action: 'delete', why: `break-glass not ratified: ${standing.why}` });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
