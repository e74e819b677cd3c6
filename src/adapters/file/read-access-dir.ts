import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { join, posix, relative, sep } from 'node:path';
import type { RepoFile, RepoSnapshot, UnreadableEntry } from '../../core/repo-file.js';

/** The paths the layout expects to be files; anything else there is reported, not followed. */
const EXPECTED_FILES = new Set(['grantops.yaml', 'people.yaml']);

/** How deep the layout's folders go: `resources/<system>/` and `grants/<login>/` (1 = directly in the access directory). */
const FOLDER_DEPTH = 2;

/** Enough reads in flight to keep the disk busy, few enough to stay far below the open-file limit. */
const READ_CONCURRENCY = 64;

/** What listing a folder finds, in name order: a file to read, a problem, or a sub-folder being listed. */
type Found = { file: { abs: string; rel: string } } | { problem: UnreadableEntry } | { folder: Promise<Found[]> };

/**
 * Reads the access directory from disk into a snapshot for the core. `root` is the repository root;
 * `dir` is the access directory relative to it. Paths come out repository-relative with `/`, in a stable
 * order. Never throws for what it finds on disk: anything it cannot read becomes an unreadable entry,
 * which the core reports as a located diagnostic, so a bad tree fails validation instead of being skipped.
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
  async function list(abs: string, depth: number): Promise<Found[]> {
    let entries;
    try {
      entries = await readdir(abs, { withFileTypes: true });
    } catch (error) {
      return [{ problem: { path: toRel(abs), reason: `cannot read this directory: ${errorCode(error)}` } }];
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const found: Found[] = [];
    for (const entry of entries) {
      const path = join(abs, entry.name);
      const rel = toRel(path);
      const looksLikeFile = entry.name.endsWith('.yaml') || entry.name.endsWith('.yml');
      if (entry.isDirectory()) {
        if (looksLikeFile || EXPECTED_FILES.has(posix.relative(baseRel, rel))) {
          found.push({ problem: { path: rel, reason: 'a directory stands where a YAML file should be' } });
        } else if (depth <= FOLDER_DEPTH) {
          // Sibling folders are listed concurrently; list() never rejects.
          found.push({ folder: list(path, depth + 1) });
        } else {
          found.push({ problem: { path: rel, reason: 'a folder where the layout has none (resources/<system>/ and grants/<login>/ hold files only)' } });
        }
      } else if (entry.isFile()) {
        // Every file is read, whatever its name: the core reports those outside the layout (DESIGN §8).
        found.push({ file: { abs: path, rel } });
      } else {
        // A symlink could point outside the repository, and one standing for a folder would hide its grants.
        const kind = (await lstat(path).catch(() => undefined))?.isSymbolicLink() ? 'a symbolic link' : 'not a regular file or folder';
        found.push({ problem: { path: rel, reason: `${kind}: the access directory holds only plain files and folders` } });
      }
    }
    return found;
  }

  const toRead: { abs: string; rel: string }[] = [];
  async function collect(found: Found[]): Promise<void> {
    for (const item of found) {
      if ('file' in item) toRead.push(item.file);
      else if ('problem' in item) unreadable.push(item.problem);
      else await collect(await item.folder);
    }
  }
  await collect(await list(base, 1));

  const contents = await mapWithLimit(toRead, READ_CONCURRENCY, ({ abs }) => readFile(abs).catch((error: unknown) => ({ error })));
  toRead.forEach(({ rel }, i) => {
    const content = contents[i]!;
    if (content instanceof Uint8Array) files.push({ path: rel, content });
    else unreadable.push({ path: rel, reason: `cannot read this file: ${errorCode(content.error)}` });
  });
  return { dir: baseRel, files, unreadable };
}

async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}
