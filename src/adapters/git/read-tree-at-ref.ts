import { posix } from 'node:path';
import { simpleGit } from 'simple-git';
import type { RepoFile, RepoSnapshot, UnreadableEntry } from '../../core/repo-file.js';
import { readBlobs } from './cat-file-batch.js';

export interface ReadTreeOptions {
  /** Reads only the files this accepts (e.g. only the rule files, leaving 10k grants unread). */
  include?: (path: string) => boolean;
}

const EXPECTED_FILES = new Set(['grantops.yaml', 'people.yaml']);
const looksLikeYaml = (path: string) => /\.ya?ml$/i.test(path);

/**
 * The access directory at a commit of a local repository, without a checkout: one `git ls-tree` for the
 * listing and one `git cat-file --batch` for every blob. Mirrors readAccessDir: YAML files are read;
 * symlinks, submodules and directories standing where a YAML file should be are reported as unreadable.
 */
export async function readTreeAtRef(root: string, ref: string, dir: string, options: ReadTreeOptions = {}): Promise<RepoSnapshot> {
  const accessDir = normalizeDir(dir);
  const git = simpleGit({ baseDir: root });
  const listing = await git.raw(['ls-tree', '-r', '-t', '-z', '--full-tree', ref, '--', accessDir]);
  const blobs: { path: string; oid: string }[] = [];
  const unreadable: UnreadableEntry[] = [];
  let dirSeen = false;
  for (const entry of listing.split('\0')) {
    if (entry === '') continue;
    const tab = entry.indexOf('\t');
    const [mode, type, oid] = entry.slice(0, tab).split(' ') as [string, string, string];
    const path = entry.slice(tab + 1);
    if (path === accessDir && type === 'tree') {
      dirSeen = true;
      continue;
    }
    if (!path.startsWith(`${accessDir}/`)) continue;
    dirSeen = true;
    const rel = posix.relative(accessDir, path);
    if (type === 'tree') {
      if (looksLikeYaml(path) || EXPECTED_FILES.has(rel)) unreadable.push({ path, reason: 'a directory stands where a YAML file should be' });
      continue;
    }
    // Every entry reaches the core, whatever its name: those outside the layout are errors there (DESIGN §8).
    if (/[\n\r]/.test(path)) {
      unreadable.push({ path: path.replace(/[\n\r]/g, '?'), reason: 'the file name holds a line break' });
      continue;
    }
    if (type !== 'blob' || mode === '120000') {
      unreadable.push({ path, reason: mode === '120000' ? 'a symlink (symlinks are not followed)' : `not a regular file (${type})` });
      continue;
    }
    if (options.include && !options.include(path)) continue;
    blobs.push({ path, oid });
  }
  if (!dirSeen) {
    return { dir: accessDir, files: [], unreadable: [{ path: accessDir, reason: `the access directory "${accessDir}" does not exist at ${ref}` }] };
  }
  const contents = await readBlobs(root, [...new Set(blobs.map((b) => b.oid))]);
  const files: RepoFile[] = blobs.map(({ path, oid }) => ({ path, content: contents.get(oid) ?? new Uint8Array() }));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { dir: accessDir, files, unreadable };
}

/** `./access/` -> `access`: repository-relative, no leading `./`, no trailing slash. */
export function normalizeDir(dir: string): string {
  const normal = posix.normalize(dir.split('\\').join('/')).replace(/^\.\/+/, '').replace(/\/+$/, '');
  if (normal === '' || normal === '.' || normal.startsWith('../') || normal === '..' || normal.startsWith('/')) {
    throw new Error(`the access directory must be a folder inside the repository, got "${dir}"`);
  }
  return normal;
}
