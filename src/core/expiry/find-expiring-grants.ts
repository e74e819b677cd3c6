import type { AccessRepo } from '../model.js';

/** A grant whose access ends soon: the person is told once, so they can renew in time. */
export interface ExpiringGrant {
  file: string;
  user: string;
  resource: string;
  expires: string;
  approvalExpires?: string;
  /** True when a renewal would be approved at once: the approval outlives the access. */
  renewable: boolean;
}

/** Active grants whose access ends after `now` and no later than `now + warnBeforeMs`, sorted by path. */
export function findExpiringGrants(repo: Pick<AccessRepo, 'grants'>, now: Date, warnBeforeMs: number): ExpiringGrant[] {
  const at = now.getTime();
  const until = at + warnBeforeMs;
  const out: ExpiringGrant[] = [];
  if (warnBeforeMs <= 0) return out;
  for (const [file, { value: grant }] of repo.grants) {
    // Break-glass access lasts hours and is never renewed: a notice days ahead would only invite a renewal.
    if (grant.status !== 'active' || grant.breakGlass === true) continue;
    const expires = Date.parse(grant.expires);
    if (!(expires > at && expires <= until)) continue;
    const approval = grant.approvalExpires ? Date.parse(grant.approvalExpires) : Number.NaN;
    out.push({
      file,
      user: grant.user,
      resource: grant.resource,
      expires: grant.expires,
      ...(grant.approvalExpires ? { approvalExpires: grant.approvalExpires } : {}),
      renewable: approval > expires,
    });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
