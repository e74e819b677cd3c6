import { diagnostic, START, type Diagnostic } from '../diagnostic.js';
import { loadAccessRepo } from '../load-access-repo.js';
import type { AccessRepo } from '../model.js';
import { classifyPath, isRulesFile } from '../parse-access-repo.js';
import type { RepoFile, RepoSnapshot } from '../repo-file.js';
import type { ChangedFile } from './approval-input.js';
import { selectRuleFiles } from './rules-from-base.js';

/**
 * Whether judging the change needs every grant of the base: when a rule file under the access directory
 * changes, any grant may stop validating (a resource deleted under it, a person removed, a limit
 * shortened). A pull request changing only grants needs none: grants do not depend on each other.
 */
export function needsGrantsAtBase(dir: string, changedPaths: readonly string[]): boolean {
  return changedPaths.some((p) => p.startsWith(`${dir}/`) && isRulesFile(dir, p));
}

export interface MergedTreeResult {
  /** Problems the merged tree has that the base has not: the pull request's doing. */
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

/**
 * DESIGN §8: a pull request is approved only when the tree it produces validates. The merged tree is the
 * base's rules and grants with every change of the pull request applied; what it would newly get wrong
 * is an error of the pull request, and a resource deleted (or renamed) under live grants also names, at
 * its own file, the grants it would leave dangling. Problems already at the base are not the change's.
 */
export function validateMergedTree(args: {
  rulesAtBase: RepoSnapshot;
  grantsAtBase: RepoSnapshot | undefined;
  /** The base's rules as parsed (for which file declared a resource). */
  baseRepo: AccessRepo;
  changes: ReadonlyMap<string, ChangedFile>;
  now: Date;
}): MergedTreeResult {
  const { rulesAtBase, grantsAtBase, baseRepo, changes, now } = args;
  const dir = rulesAtBase.dir;
  if (!grantsAtBase) {
    const e = diagnostic(`${dir}/grantops.yaml`, START, 'approval/missing-content', 'the rules change but the base\'s grant files were not provided, so the tree this pull request produces cannot be validated');
    return { errors: [e], warnings: [] };
  }
  const rules = selectRuleFiles(rulesAtBase);
  const baseFiles = new Map<string, RepoFile>();
  for (const file of rules.files) baseFiles.set(file.path, file);
  for (const file of grantsAtBase.files) if (classifyPath(dir, file.path).kind === 'grant') baseFiles.set(file.path, file);
  const headFiles = new Map(baseFiles);
  const unreadable = [...(rules.unreadable ?? [])];
  for (const change of changes.values()) {
    if (!change.path.startsWith(`${dir}/`) || classifyPath(dir, change.path).kind === 'other') continue;
    if (change.headUnreadable !== undefined) {
      headFiles.delete(change.path);
      unreadable.push({ path: change.path, reason: change.headUnreadable });
    } else if (change.head === undefined) headFiles.delete(change.path);
    else headFiles.set(change.path, { path: change.path, content: change.head });
  }

  const key = (d: Diagnostic) => `${d.file}\u0000${d.rule}\u0000${d.message}`;
  const base = loadAccessRepo({ dir, files: [...baseFiles.values()], unreadable: rules.unreadable ?? [] }, now);
  const atBase = new Set(base.diagnostics.map(key));
  const head = loadAccessRepo({ dir, files: [...headFiles.values()], unreadable }, now);
  const fresh = head.diagnostics.filter((d) => !atBase.has(key(d)));
  const errors = fresh.filter((d) => d.severity === 'error');
  errors.push(...nameDanglingGrants(head.repo, baseRepo, errors));
  return { errors, warnings: fresh.filter((d) => d.severity === 'warning') };
}

/** One error at each resource file the change removes, naming the grants that still point at it. */
function nameDanglingGrants(head: AccessRepo, baseRepo: AccessRepo, errors: readonly Diagnostic[]): Diagnostic[] {
  const byResource = new Map<string, string[]>();
  for (const e of errors) {
    if (e.rule !== 'ref/unknown-resource') continue;
    const id = head.grants.get(e.file)?.value.resource;
    if (id === undefined || !baseRepo.resources.has(id)) continue;
    byResource.set(id, [...(byResource.get(id) ?? []), e.file]);
  }
  return [...byResource].map(([id, grants]) =>
    diagnostic(
      baseRepo.resources.get(id)!.file,
      START,
      'approval/dangling-grants',
      `this change removes resource "${id}" while ${grants.length} grant${grants.length === 1 ? '' : 's'} still name it (${grants.join(', ')}): remove or move those grants in the same pull request`,
    ),
  );
}
