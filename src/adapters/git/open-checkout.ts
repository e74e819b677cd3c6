import { realpath } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { RepoSnapshot } from '../../core/repo-file.js';
import { GitBranchWriter } from './git-branch-writer.js';
import { LocalGitRefReader } from './git-ref-reader.js';
import { findRepositoryRoot } from './repository-root.js';

/** Where a lifecycle command works: the repository, the access directory in it, as committed at HEAD. */
export interface Checkout {
  root: string;
  /** The access directory relative to `root`. */
  dir: string;
  git?: GitBranchWriter;
  /** The access directory at HEAD (what a branch is built on), or absent outside git. */
  snapshot?: RepoSnapshot;
}

/**
 * Resolves the access directory against the repository it sits in. Inside git, the files are read as
 * committed at HEAD, since that is what the branch will be built on: uncommitted edits stay out of it.
 */
export async function openCheckout(cwd: string, dir: string): Promise<Checkout> {
  const top = await findRepositoryRoot(cwd);
  if (!top) return { root: cwd, dir };
  // git names the top by its real path; compare like with like where the temp folder is a symlink.
  const rel = relative(top, resolve(await realpath(cwd), dir)).split(sep).join('/');
  const git = new GitBranchWriter(top);
  const head = await git.headCommit().catch(() => undefined);
  if (!head) return { root: top, dir: rel, git };
  const snapshot = await new LocalGitRefReader(top).readTree(head, rel);
  return { root: top, dir: rel, git, snapshot };
}
