import { simpleGit } from 'simple-git';

import type { GitChangeStatus, GitChangedPath } from '../../ports.js';

const STATUS: Record<string, GitChangeStatus> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', C: 'copied', T: 'type-changed' };

/**
 * The files changed between two commits, `git diff --name-status -z -M`, renames detected. With
 * `since: 'merge-base'` (what a pull request shows) the diff starts where `head` branched off `base`.
 */
export async function listChangedPaths(
  root: string,
  base: string,
  head: string,
  options: { dir?: string; since?: 'base' | 'merge-base' } = {},
): Promise<GitChangedPath[]> {
  const range = options.since === 'merge-base' ? `${base}...${head}` : `${base}..${head}`;
  const args = ['diff', '--name-status', '-z', '-M', '--no-ext-diff', range];
  if (options.dir !== undefined) args.push('--', options.dir);
  const out = await simpleGit({ baseDir: root }).raw(args);
  const fields = out.split('\0');
  const changed: GitChangedPath[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++]!;
    if (code === '') continue;
    const status = STATUS[code[0]!];
    if (!status) throw new Error(`unexpected git diff status "${code}"`);
    if (status === 'renamed' || status === 'copied') {
      const oldPath = fields[i++]!;
      changed.push({ status, path: fields[i++]!, oldPath });
    } else {
      changed.push({ status, path: fields[i++]! });
    }
  }
  return changed;
}

/** Every path a change touches: for a rename, both the old and the new one. */
export function touchedPaths(changed: readonly GitChangedPath[]): string[] {
  return [...new Set(changed.flatMap((c) => (c.status === 'renamed' && c.oldPath !== undefined ? [c.oldPath, c.path] : [c.path])))];
}
