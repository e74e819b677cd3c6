import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

/** A bare remote with `files` on main, and a clone of it with its own identity (CI may have none). */
export async function createGitFixture(files: Record<string, string>): Promise<GitFixture> {
  const root = await mkdtemp(join(tmpdir(), 'grantops-lifecycle-'));
  const bare = join(root, 'remote.git');
  const clone = join(root, 'checkout');
  await simpleGit().raw(['init', '--bare', '--initial-branch=main', bare]);
  const seed = join(root, 'seed');
  await mkdir(seed);
  const seedGit = simpleGit({ baseDir: seed });
  await seedGit.raw(['init', '--initial-branch=main']);
  await seedGit.addConfig('user.name', 'Seed').addConfig('user.email', 'seed@example.com');
  await writeFiles(seed, files);
  await seedGit.add('.').commit('Initial access repository').addRemote('origin', bare).push('origin', 'main');
  await simpleGit().clone(bare, clone);
  const git = simpleGit({ baseDir: clone });
  await git.addConfig('user.name', 'Checkout').addConfig('user.email', 'checkout@example.com');

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
