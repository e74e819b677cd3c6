import { appendFile, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

/**
 * A real git repository in a temporary folder for the stand-in GitHub to serve: commits are made
 * with files added, changed or (null) removed, on whichever branch is checked out.
 */
export class TestRepo {
  private constructor(
    readonly dir: string,
    readonly git: SimpleGit,
  ) {}

  static async create(): Promise<TestRepo> {
    const dir = await mkdtemp(join(tmpdir(), 'grantops-gh-'));
    const git = simpleGit(dir);
    await git.init(['--initial-branch=main']);
    // CI machines may have no global identity, and a test must not depend on one (written as `git config`
    // would, without three more processes).
    await appendFile(join(dir, '.git', 'config'), '[user]\n\tname = Test Author\n\temail = author@example.test\n[commit]\n\tgpgsign = false\n');
    return new TestRepo(dir, git);
  }

  /** Writes, removes and commits; returns the new commit's SHA. */
  async commit(files: Record<string, string | null>, message = 'change'): Promise<string> {
    const removed: string[] = [];
    for (const [path, content] of Object.entries(files)) {
      const abs = join(this.dir, path);
      if (content === null) {
        await rm(abs, { force: true });
        removed.push(path);
      } else {
        await mkdir(dirname(abs), { recursive: true });
        await writeFile(abs, content);
      }
    }
    await this.git.raw(['add', '--all', '--', '.']);
    // simple-git commits with core.abbrev=40: the summary names the full SHA.
    const { commit } = await this.git.commit(message, undefined, { '--allow-empty': null });
    return /^[0-9a-f]{40}$/.test(commit) ? commit : (await this.git.revparse(['HEAD'])).trim();
  }

  /** Starts `branch` at `from` (default: the current commit) and checks it out. */
  async branch(branch: string, from?: string): Promise<void> {
    await this.git.checkout(from ? ['-B', branch, from] : ['-B', branch]);
  }

  async checkout(ref: string): Promise<void> {
    await this.git.checkout(ref);
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
