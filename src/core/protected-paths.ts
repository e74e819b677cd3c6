import { compileGlob } from './glob.js';
import type { OrgConfig } from './model.js';

/**
 * What steers grantops from outside the access directory (DESIGN §8): the workflows that run the Action
 * (and the local actions they may call), and every attributes file, which can change what a checkout
 * writes. `.gitattributes` inside the access directory is also an error there, as any non-layout file.
 */
export const DEFAULT_PROTECTED_PATHS: readonly string[] = ['.github/workflows/**', '.github/actions/**', '**/.gitattributes', '.gitmodules'];

/**
 * The changed paths that steer what grantops applies, so changing them is a rules change (an org owner
 * approves): the globs of the base's `protectedPaths` (or the defaults), and always the access directory's
 * own location, that is `dir` itself or a folder above it turned into a file, a symlink or a submodule.
 */
export function findProtectedChanges(org: OrgConfig | undefined, dir: string, changedPaths: readonly string[]): string[] {
  const matchers = (org?.protectedPaths ?? DEFAULT_PROTECTED_PATHS).map((glob) => compileGlob(glob, { paths: true }));
  const ancestors = dir.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  return changedPaths.filter((path) => ancestors.includes(path) || matchers.some((m) => m(path)));
}
