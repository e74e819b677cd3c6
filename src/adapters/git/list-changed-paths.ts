import { simpleGit } from 'simple-git';

import type { GitChangeStatus, GitChangedPath } from '../../ports.js';

const STATUS: Record<string, GitChangeStatus> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', C: 'copied', T: 'type-changed' };

const ZERO_OID = /^0+$/;

/**
 * The files changed between two commits, `git diff --raw -z -M`, renames detected, each with the blob ids
 * of both sides so their contents can be read in one batch without walking the trees again. With
 * `since: 'merge-base'` (what a pull request shows) the diff starts where `head` branched off `base`.
 */
export async function listChangedPaths(
  root: string,
  base: string,
  head: string,
  options: { dir?: string; since?: 'base' | 'merge-base' } = {},
): Promise<GitChangedPath[]> {
  const range = options.since === 'merge-base' ? `${base}...${head}` : `${base}..${head}`;
  const args = ['diff', '--raw', '--no-abbrev', '-z', '-M', '--no-ext-diff', range];
  if (options.dir !== undefined) args.push('--', options.dir);
  const out = await simpleGit({ baseDir: root }).raw(args);
  const fields = out.split('\0');
  const changed: GitChangedPath[] = [];
  for (let i = 0; i < fields.length; ) {
    const header = fields[i++]!;
    if (header === '') continue;
    // `:<old mode> <new mode> <old oid> <new oid> <status>`
    const [oldMode, newMode, oldOid, newOid, code = ''] = header.replace(/^:/, '').split(' ') as string[];
    const status = STATUS[code[0]!];
    if (!status) throw new Error(`unexpected git diff line "${header}"`);
    const blob = (mode: string | undefined, oid: string | undefined) =>
      oid !== undefined && !ZERO_OID.test(oid) && mode !== undefined && mode.startsWith('100') ? oid : undefined;
    const oids = {
      ...(blob(oldMode, oldOid) !== undefined && { oldOid: oldOid! }),
      ...(blob(newMode, newOid) !== undefined && { oid: newOid! }),
    };
    if (status === 'renamed' || status === 'copied') {
      const oldPath = fields[i++]!;
      changed.push({ status, path: fields[i++]!, oldPath, ...oids });
    } else {
      changed.push({ status, path: fields[i++]!, ...oids });
    }
  }
  return changed;
}

/** Every path a change touches: for a rename, both the old and the new one. */
export function touchedPaths(changed: readonly GitChangedPath[]): string[] {
  return [...new Set(changed.flatMap((c) => (c.status === 'renamed' && c.oldPath !== undefined ? [c.oldPath, c.path] : [c.path])))];
}
