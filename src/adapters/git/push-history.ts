import { simpleGit, type SimpleGit } from 'simple-git';
import type { ChangedFile, ChangeStatus } from '../../core/provenance/push-snapshot.js';
import type { PushHistory } from '../../ports.js';

export interface PushRange {
  /** Absent when the push created the branch: then every commit reachable from `after` counts. */
  before?: string;
  after: string;
}

/**
 * Reads a push from the local clone: which files under a directory the pushed commits added or
 * modified, which commits brought each one's content, and a file's content before the push.
 */
export class GitPushHistory implements PushHistory {
  private readonly git: SimpleGit;

  constructor(root: string) {
    this.git = simpleGit({ baseDir: root });
  }

  async listChangedFiles(range: PushRange, dir: string): Promise<ChangedFile[]> {
    await this.requireCommit(range.after, 'after');
    const changed: { path: string; status: ChangeStatus }[] = [];
    if (range.before === undefined) {
      const listing = await this.git.raw(['ls-tree', '-r', '-z', '--name-only', range.after, '--', dir]);
      for (const path of splitZ(listing)) changed.push({ path, status: 'added' });
    } else {
      await this.requireCommit(range.before, 'before');
      const diff = await this.git.raw(['diff', '--name-status', '--no-renames', '-z', range.before, range.after, '--', dir]);
      const fields = splitZ(diff);
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const status = fields[i]!;
        const path = fields[i + 1]!;
        if (status === 'A') changed.push({ path, status: 'added' });
        else if (status !== 'D') changed.push({ path, status: 'modified' });
      }
    }
    const revisions = range.before === undefined ? range.after : `${range.before}..${range.after}`;
    const files: ChangedFile[] = [];
    for (const { path, status } of changed) {
      // Git's default history simplification lists the commits that explain the file's content at
      // `after`, including a merge that altered it beyond both parents.
      const log = await this.git.raw(['log', '--format=%H', revisions, '--', path]);
      files.push({ path, status, commits: log.split('\n').filter((line) => line !== '') });
    }
    return files;
  }

  async listDeletedFiles(commit: string, dir: string): Promise<string[]> {
    await this.requireCommit(commit, 'after');
    const log = await this.git.raw(['log', '--diff-filter=D', '--no-renames', '--name-only', '--format=', '-z', commit, '--', dir]);
    return [...new Set(splitZ(log).map((path) => path.replace(/^\n+/, '')).filter((path) => path !== ''))];
  }

  /** The file's bytes at `commit`, or null when it did not exist there. */
  async readFileAt(commit: string, path: string): Promise<Uint8Array | null> {
    try {
      await this.git.raw(['cat-file', '-e', `${commit}:${path}`]);
    } catch {
      return null;
    }
    return new Uint8Array(await this.git.binaryCatFile(['blob', `${commit}:${path}`]));
  }

  async readHeadCommit(): Promise<string> {
    return (await this.git.revparse(['HEAD'])).trim();
  }

  private async requireCommit(sha: string, role: string): Promise<void> {
    try {
      await this.git.raw(['cat-file', '-e', `${sha}^{commit}`]);
    } catch {
      throw new Error(
        `the push's "${role}" commit ${sha} is not in this checkout: check out with full history (actions/checkout with fetch-depth: 0) so the pushed commits can be read`,
      );
    }
  }
}

function splitZ(output: string): string[] {
  return output.split('\0').filter((field) => field !== '');
}
