import type { Diagnostic } from '../diagnostic.js';
import { classifyPath } from '../parse-access-repo.js';
import type { WithheldGrant } from './isolate-problems.js';

/**
 * The pull request plan judges the pull request, not the branch it targets: an error located in a file
 * the pull request does not change was there before it (it is already withheld on the base branch) and
 * becomes a warning, so one stuck grant does not fail every other pull request. A pull request that
 * changes the rules (grantops.yaml, people.yaml, a resource) answers for every error: it may be the cause.
 */
export function scopeProblemsToChange(dir: string, changed: readonly string[], diagnostics: readonly Diagnostic[], withheld: readonly WithheldGrant[]): { diagnostics: Diagnostic[]; withheld: WithheldGrant[] } {
  const touchesRules = changed.some((path) => ['org', 'people', 'resource'].includes(classifyPath(dir, path).kind));
  if (touchesRules) return { diagnostics: [...diagnostics], withheld: [...withheld] };
  const mine = new Set(changed);
  return {
    diagnostics: diagnostics.map((d) =>
      d.severity === 'error' && !mine.has(d.file) ? { ...d, severity: 'warning' as const, message: `${d.message} (already so on the base branch; not this pull request's change)` } : d,
    ),
    withheld: withheld.filter((w) => mine.has(w.file)),
  };
}
