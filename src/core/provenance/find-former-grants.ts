import { classifyPath } from '../parse-access-repo.js';
import type { FormerGrant } from '../plan/plan-iam.js';

/**
 * The grants a branch's history once held and has since deleted, from the deleted grant files' paths
 * (`grants/<login>/<resource>.yaml`). On a non-exclusive resource the plan may only take access from
 * people who hold or held a grant for it; a deleted grant file is how "held" is known after the fact.
 */
export function findFormerGrants(dir: string, deletedPaths: readonly string[]): FormerGrant[] {
  const former: FormerGrant[] = [];
  for (const path of deletedPaths) {
    const layout = classifyPath(dir, path);
    if (layout.kind === 'grant') former.push({ user: layout.login, resource: layout.resource, file: path });
  }
  return former;
}
