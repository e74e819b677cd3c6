import { sortDiagnostics, type Diagnostic } from './diagnostic.js';
import type { AccessRepo } from './model.js';
import { parseAccessRepo } from './parse-access-repo.js';
import type { RepoSnapshot } from './repo-file.js';
import { validateAccessRepo } from './validate-access-repo.js';

export interface LoadResult {
  repo: AccessRepo;
  /** Schema and semantic problems together, sorted by file and position. */
  diagnostics: Diagnostic[];
}

/** Parse + validate: what `grantops validate` reports and what every other command starts from. */
export function loadAccessRepo(snapshot: RepoSnapshot, now: Date): LoadResult {
  const { repo, diagnostics } = parseAccessRepo(snapshot);
  return { repo, diagnostics: sortDiagnostics([...diagnostics, ...validateAccessRepo(repo, now)]) };
}
