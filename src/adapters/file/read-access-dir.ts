import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import type { RepoFile, RepoSnapshot, UnreadableEntry } from '../../core/repo-file.js';

/** The paths the layout expects to be files; anything else there is reported, not followed. */
const EXPECTED_FILES = new Set(['grantops.yaml', 'people.yaml']);

/**
 * Reads the access directory from disk into a snapshot for the core. `root` is the repository root;
 * `dir` is the access directory relative to it. Paths come out repository-relative with `/`.
 */
export async function readAccessDir(root: string, dir: string): Promise<RepoSnapshot> {
  const files: RepoFile[] = [];
  const unreadable: UnreadableEntry[] = [];
  const toRel = (abs: string) => relative(root, abs).split(sep).join(posix.sep);
  const base = join(root, dir);

  try {
    const stat = await lstat(base);
    if (!stat.isDirectory()) {
      unreadable.push({ path: toRel(base), reason: 'the access directory is not a directory' });
      return { dir: toRel(base), files, unreadable };
    }
  } catch {
    unreadable.push({ path: toRel(base), reason: `the access directory "${dir}" does not exist` });
    return { dir: toRel(base), files, unreadable };
  }

  async function walk(abs: string, depth: number): Promise<void> {
    const entries = await readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(abs, entry.name);
      const rel = toRel(path);
      const relToDir = posix.relative(toRel(base), rel);
      const looksLikeFile = entry.name.endsWith('.yaml') || entry.name.endsWith('.yml');
      if (entry.isDirectory()) {
        if (looksLikeFile || EXPECTED_FILES.has(relToDir)) {
          unreadable.push({ path: rel, reason: 'a directory stands where a YAML file should be' });
        } else if (depth < 3) {
          await walk(path, depth + 1);
        }
      } else if (entry.isFile()) {
        if (looksLikeFile) files.push({ path: rel, content: await readFile(path) });
      } else if (looksLikeFile) {
        unreadable.push({ path: rel, reason: 'not a regular file (symlinks and devices are not followed)' });
      }
    }
  }
  await walk(base, 0);
  return { dir: toRel(base), files, unreadable };
}
