import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

export interface GitFixture {
  root: string;
  /** The bare repository standing in for the remote. */
  bare: string;
  /** A real clone of it: the Action's checkout, or a requester's clone. */
  clone: string;
  git: SimpleGit;
  /** Commits files (null deletes) on main in the clone and pushes them. */
  commitOnMain(files: Record<string, string | null>, message: string): Promise<string>;
  /** Reads a file at a ref of the bare remote; null when absent. */
  showRemote(ref: string, path: string): Promise<string | null>;
  cleanup(): Promise<void>;
}

async function writeFiles(base: string, files: Record<string, string | null>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const abs = join(base, path);
    if (content === null) {
      await rm(abs, { force: true });
    } else {
      await mkdir(dirname(abs), { recursive: true });
      await writeFile(abs, content);
    }
  }
}

/**
 * A bare remote with `files` on main, and a clone of it with its own identity (CI may have none). The clone
 * is made as `git clone` leaves one (origin, its fetch refspec, origin/HEAD, main tracking origin/main) by a
 * first commit pushed from it: five git processes instead of a seed repository, its push and a clone (twelve).
 */
export async function createGitFixture(files: Record<string, string>): Promise<GitFixture> {
  const root = await mkdtemp(join(tmpdir(), 'grantops-lifecycle-'));
  const bare = join(root, 'remote.git');
  const clone = join(root, 'checkout');
  await simpleGit().raw(['init', '--bare', '--initial-branch=main', bare]);
  await mkdir(clone);
  const git = simpleGit({ baseDir: clone });
  await git.raw(['init', '--initial-branch=main']);
  await appendFile(
    join(clone, '.git', 'config'),
    `[remote "origin"]\n\turl = ${bare}\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[branch "main"]\n\tremote = origin\n\tmerge = refs/heads/main\n`,
  );
  await writeFiles(clone, files);
  await git.add('.');
  await git.raw(['-c', 'user.name=Seed', '-c', 'user.email=seed@example.com', 'commit', '-q', '-m', 'Initial access repository']);
  await git.push('origin', 'main');
  await writeFile(join(clone, '.git', 'refs', 'remotes', 'origin', 'HEAD'), 'ref: refs/remotes/origin/main\n');
  await appendFile(join(clone, '.git', 'config'), '[user]\n\tname = Checkout\n\temail = checkout@example.com\n');

  return {
    root,
    bare,
    clone,
    git,
    async commitOnMain(changed, message) {
      await git.checkout('main');
      await git.pull('origin', 'main', ['--ff-only']);
      await writeFiles(clone, changed);
      await git.raw(['add', '-A', '--', ...Object.keys(changed)]);
      await git.commit(message);
      await git.push('origin', 'main');
      return (await git.revparse(['HEAD'])).trim();
    },
    async showRemote(ref, path) {
      return simpleGit({ baseDir: bare })
        .raw(['show', `${ref}:${path}`])
        .catch(() => null);
    },
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
