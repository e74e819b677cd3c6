import { diagnostic, START, type Diagnostic } from '../core/diagnostic.js';
import type { AccessRepo } from '../core/model.js';
import { findIamUsersIn, formerGrantsFromPaths, formerGrantsFromRecords } from '../core/plan/former-grants.js';
import type { FormerGrant } from '../core/plan/plan-iam.js';
import type { GrantHistory } from '../ports.js';

/** people.yaml versions read per step while looking for people who have left it. */
const PEOPLE_BATCH = 8;

export interface FormerGrantsResult {
  formerGrants: FormerGrant[];
  /** Warnings when history cannot be read in full (no repository, a shallow clone). */
  diagnostics: Diagnostic[];
}

/**
 * Everyone who ever held a grant, from the branch's first-parent history (DESIGN §8, level-triggered):
 * every grant file path it ever added, any status, plus what decision notes say earlier runs applied.
 * A person who has left people.yaml keeps their IAM user from the newest version of people.yaml that
 * still names them, so offboarding removes their access. Plan and apply read this in every door (CLI,
 * Action, pull request plan), so a deleted grant is revoked by any later run, also after missed runs.
 */
export async function readFormerGrants(history: GrantHistory | null, dir: string, repo: AccessRepo): Promise<FormerGrantsResult> {
  if (history === null) return { formerGrants: [], diagnostics: [] };
  const at = repo.org?.file ?? `${dir}/grantops.yaml`;
  const facts = await history.readGrantHistory(dir);
  if (facts === null) {
    const message = `${dir} is not in a git repository with commits: only grant files present now say whom grantops may take access from, so access of deleted grants stays; run from a clone of the repository`;
    return { formerGrants: [], diagnostics: [diagnostic(at, START, 'plan/no-history', message, 'warning')] };
  }
  const diagnostics = facts.shallow
    ? [diagnostic(at, START, 'plan/shallow-history', 'this clone is shallow: grants deleted before its first commit are not seen, so their access may stay; clone with full history (fetch-depth: 0)', 'warning')]
    : [];

  const fromPaths = formerGrantsFromPaths(dir, facts.grantPaths);
  const gone = new Set(fromPaths.map((g) => g.user).filter((login) => !repo.people.get(login)?.value.aws?.user));
  const iamUsers = await findFormerIamUsers(history, facts.peopleVersions, gone);
  const formerGrants = fromPaths.map((g) => (iamUsers.has(g.user) ? { ...g, iamUser: iamUsers.get(g.user)! } : g));
  return { formerGrants: [...formerGrants, ...formerGrantsFromRecords(facts.notes)], diagnostics };
}

/** Reads people.yaml's versions newest first, only as far back as needed to name every login. */
async function findFormerIamUsers(history: GrantHistory, versions: readonly string[], logins: ReadonlySet<string>): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const missing = new Set(logins);
  for (let i = 0; i < versions.length && missing.size > 0; i += PEOPLE_BATCH) {
    const batch = versions.slice(i, i + PEOPLE_BATCH);
    const blobs = await history.readBlobs(batch);
    for (const id of batch) {
      const bytes = blobs.get(id);
      if (!bytes || missing.size === 0) continue;
      for (const [login, user] of findIamUsersIn(Buffer.from(bytes).toString('utf8'), missing)) {
        found.set(login, user);
        missing.delete(login);
      }
    }
  }
  return found;
}
