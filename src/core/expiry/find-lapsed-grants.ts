import type { AccessRepo, GrantFile } from '../model.js';
import { decideRevocation, type RevocationAction } from './decide-revocation.js';

/** One grant file the revocation pull request changes. */
export interface Revocation {
  /** Repository-relative path of the grant file. */
  file: string;
  user: string;
  resource: string;
  expires: string;
  approvalExpires?: string;
  /**
   * True when the grant was still `status: active` with its `expires` passed: its access is removed
   * from IAM by this run. False for a grant already marked expired whose approval has now lapsed: its
   * access went at an earlier run, only the file is left to delete.
   */
  accessLapsed: boolean;
  action: RevocationAction;
  why: string;
}

/**
 * The grants the repository must record as over at `now` (DESIGN §3, lifecycle): every active grant
 * whose `expires` has passed, and every expired grant whose approval has lapsed since. Sorted by path,
 * so the revocation pull request lists them in a stable order. One pass over the grants: it is what
 * a scheduled run does on every repository, however many grants it holds.
 */
export function findLapsedGrants(repo: Pick<AccessRepo, 'grants'>, now: Date): Revocation[] {
  const at = now.getTime();
  const out: Revocation[] = [];
  for (const [file, { value: grant }] of repo.grants) {
    if (grant.status === 'active') {
      const expires = Date.parse(grant.expires);
      // An unreadable time is a validation error; treat the access as over rather than keep it forever.
      if (!(expires > at)) out.push(revocation(file, grant, true, now));
    } else {
      const decision = decideRevocation(grant, now);
      if (decision.action === 'delete') out.push({ ...describe(file, grant), accessLapsed: false, ...decision });
    }
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

function revocation(file: string, grant: GrantFile, accessLapsed: boolean, now: Date): Revocation {
  return { ...describe(file, grant), accessLapsed, ...decideRevocation(grant, now) };
}

function describe(file: string, grant: GrantFile): Pick<Revocation, 'file' | 'user' | 'resource' | 'expires' | 'approvalExpires'> {
  return {
    file,
    user: grant.user,
    resource: grant.resource,
    expires: grant.expires,
    ...(grant.approvalExpires ? { approvalExpires: grant.approvalExpires } : {}),
  };
}
