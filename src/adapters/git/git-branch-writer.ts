import { simpleGit } from 'simple-git';
import type { BranchCommit, BranchCommitRequest, BranchWriter } from '../../ports.js';
import { commitOnBranch } from './commit-on-branch.js';
import { fetchBranch, pushBranch } from './push-branch.js';

/** BranchWriter over a local clone; paths are relative to `root`, which may be a folder inside the repository. */
export class GitBranchWriter implements BranchWriter {
  private prefix?: Promise<string>;

  constructor(private readonly root: string) {}

  /** True when `root` lies inside a git work tree. */
  static async isRepository(root: string): Promise<boolean> {
    return simpleGit({ baseDir: root })
      .raw(['rev-parse', '--is-inside-work-tree'])
      .then((out) => out.trim() === 'true', () => false);
  }

  async headCommit(): Promise<string> {
    return (await simpleGit({ baseDir: this.root }).raw(['rev-parse', '--verify', 'HEAD^{commit}'])).trim();
  }

  async currentBranch(): Promise<string | undefined> {
    const ref = (await simpleGit({ baseDir: this.root }).raw(['symbolic-ref', '-q', 'HEAD']).catch(() => '')).trim();
    return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
  }

  commitOnBranch(request: BranchCommitRequest): Promise<BranchCommit | undefined> {
    this.prefix ??= simpleGit({ baseDir: this.root }).raw(['rev-parse', '--show-prefix']).then((p) => p.trim());
    return this.prefix.then((prefix) => commitOnBranch(this.root, prefix, request));
  }

  fetchBranch(remote: string, branch: string): Promise<string | undefined> {
    return fetchBranch(this.root, remote, branch);
  }

  pushBranch(remote: string, branch: string, sha: string, expected: string | undefined): Promise<void> {
    return pushBranch(this.root, remote, branch, sha, expected);
  }
}
