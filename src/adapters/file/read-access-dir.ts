import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import type { RepoFile, RepoSnapshot, UnreadableEntry } from '../../core/repo-file.js';

/** The paths the layout expects to be files; anything else there is reported, not followed. */
const EXPECTED_FILES = new Set(['grantops.yaml', 'people.yaml']);

/** How deep the layout's folders go: `resources/<system>/` and `grants/<login>/` (1 = directly in the access directory). */
const FOLDER_DEPTH = 2;

/**
 * Reads the access directory from disk into a snapshot for the core. `root` is the repository root;
 * `dir` is the access directory relative to it. Paths come out repository-relative with `/`.
 * Never throws for what it finds on disk: anything it cannot read becomes an unreadable entry, which the
 * core reports as a located diagnostic, so a bad tree fails validation instead of being skipped.
 */
export async function readAccessDir(root: string, dir: string): Promise<RepoSnapshot> {
  const files: RepoFile[] = [];
  const unreadable: UnreadableEntry[] = [];
  const toRel = (abs: string) => relative(root, abs).split(sep).join(posix.sep);
  const base = join(root, dir);
  const baseRel = toRel(base);

  try {
    // The access directory itself may be a symlink (e.g. into a monorepo); what is inside is not followed.
    if (!(await stat(base)).isDirectory()) {
      unreadable.push({ path: baseRel, reason: 'the access directory is not a directory' });
      return { dir: baseRel, files, unreadable };
    }
  } catch {
    unreadable.push({ path: baseRel, reason: `the access directory "${dir}" does not exist` });
    return { dir: baseRel, files, unreadable };
  }

  /** `depth` is that of the entries of `abs`: 1 for those directly in the access directory. */
  async function walk(abs: string, depth: number): Promise<void> {
    let entries;
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (error) {
      unreadable.push({ path: toRel(abs), reason: `cannot read this directory: ${errorCode(error)}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(abs, entry.name);
      const rel = toRel(path);
      const relToDir = posix.relative(baseRel, rel);
      const looksLikeFile = entry.name.endsWith('.yaml') || entry.name.endsWith('.yml');
      if (entry.isDirectory()) {
        if (looksLikeFile || EXPECTED_FILES.has(relToDir)) {
          unreadable.push({ path: rel, reason: 'a directory stands where a YAML file should be' });
        } else if (depth <= FOLDER_DEPTH + 1) {
          // One level deeper than the layout, so misplaced YAML files are reported rather than ignored.
          await walk(path, depth + 1);
        }
      } else if (entry.isFile()) {
        if (!looksLikeFile) continue;
        try {
          files.push({ path: rel, content: await readFile(path) });
        } catch (error) {
          unreadable.push({ path: rel, reason: `cannot read this file: ${errorCode(error)}` });
        }
      } else if (looksLikeFile || depth <= FOLDER_DEPTH) {
        // A symlink could point outside the repository, and one standing for a folder would hide its grants.
        const kind = (await lstat(path).catch(() => undefined))?.isSymbolicLink() ? 'a symbolic link' : 'not a regular file or folder';
        unreadable.push({ path: rel, reason: `${kind}: the access directory holds only plain files and folders` });
      }
    }
  }
  await walk(base, 1);
  return { dir: baseRel, files, unreadable };
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}
