import { simpleGit, type SimpleGit } from 'simple-git';
import type { RepoSnapshot } from '../../core/repo-file.js';
import { UsageError } from '../../core/usage-error.js';
import type { GitChangedPath, GitRefReader } from '../../ports.js';
import { readBlobs } from './cat-file-batch.js';
import { listChangedPaths } from './list-changed-paths.js';
import { readFilesAtRef } from './read-files-at-ref.js';
import { readTreeAtRef } from './read-tree-at-ref.js';
import { resolveBranchOrCommit } from './resolve-branch-or-commit.js';

/** GitRefReader over a local clone: simple-git for the small questions, batch processes for contents. */
export class LocalGitRefReader implements GitRefReader {
  private readonly git: SimpleGit;

  constructor(private readonly root: string) {
    this.git = simpleGit({ baseDir: root });
  }

  async resolveCommit(ref: string): Promise<string> {
    if (ref.startsWith('-')) throw new Error(`"${ref}" is not a git ref`);
    let sha = '';
    try {
      sha = (await this.git.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
    } catch {
      // reported below
    }
    if (!/^[0-9a-f]{40,64}$/.test(sha)) throw new Error(`"${ref}" does not name a commit in the repository`);
    return sha;
  }

  resolveBranchOrCommit(ref: string): Promise<string> {
    return resolveBranchOrCommit(this.root, ref);
  }

  async mergeBase(a: string, b: string): Promise<string> {
    let sha = '';
    try {
      sha = (await this.git.raw(['merge-base', a, b])).trim();
    } catch {
      // reported below
    }
    if (sha === '') throw new Error(`${a.slice(0, 7)} and ${b.slice(0, 7)} have no common ancestor`);
    return sha;
  }

  readTree(ref: string, dir: string, options?: { include?: (path: string) => boolean }): Promise<RepoSnapshot> {
    return readTreeAtRef(this.root, ref, dir, options);
  }

  readFiles(ref: string, paths: readonly string[]): Promise<Map<string, Uint8Array | null>> {
    return readFilesAtRef(this.root, ref, paths);
  }

  readBlobs(oids: readonly string[]): Promise<Map<string, Uint8Array | null>> {
    return readBlobs(this.root, oids);
  }

  listChangedPaths(base: string, head: string, options?: { dir?: string; since?: 'base' | 'merge-base' }): Promise<GitChangedPath[]> {
    return listChangedPaths(this.root, base, head, options);
  }
}

/** The top of the git work tree holding `cwd`; a clear error outside one. */
export async function findRepoRoot(cwd: string): Promise<string> {
  try {
    return (await simpleGit({ baseDir: cwd }).raw(['rev-parse', '--show-toplevel'])).trim();
  } catch {
    throw new UsageError('not inside a git repository: check reads the access directory from git refs');
  }
}
