import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { BranchCommit, BranchCommitRequest, FileChange } from '../../ports.js';

/** Used when the clone has no identity of its own (a CI checkout usually has none). */
export const FALLBACK_IDENTITY = { name: 'grantops', email: 'grantops@users.noreply.github.com' };

/** Arguments per git process when a commit touches many files. */
const CHUNK = 200;

const execGit = promisify(execFile);

/**
 * Runs git with extra environment variables. simple-git guards the environment a command may be given, so
 * the commands that need `GIT_INDEX_FILE` or the commit dates run through `execFile`; the rest go through
 * simple-git.
 */
function gitWith(root: string, env: Record<string, string>) {
  return async (args: string[]): Promise<string> => {
    const { stdout } = await execGit('git', args, { cwd: root, env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
    return stdout;
  };
}

/** The run's clock as git's own date format (seconds since the epoch, UTC), so `--now` is what the history shows. */
export function gitDateEnv(date: Date): Record<string, string> {
  const stamp = `@${Math.floor(date.getTime() / 1000)} +0000`;
  return { GIT_AUTHOR_DATE: stamp, GIT_COMMITTER_DATE: stamp };
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/** The tree and parents of a commit, or undefined when the object is not in the clone. */
async function readCommitHeader(git: SimpleGit, sha: string): Promise<{ tree: string; parents: string[] } | undefined> {
  try {
    const text = await git.raw(['cat-file', 'commit', sha]);
    const header = text.split('\n\n')[0]!.split('\n');
    return {
      tree: header.find((l) => l.startsWith('tree '))!.slice(5),
      parents: header.filter((l) => l.startsWith('parent ')).map((l) => l.slice(7)),
    };
  } catch {
    return undefined;
  }
}

async function configured(git: SimpleGit, key: string): Promise<string | undefined> {
  const value = (await git.raw(['config', '--get', key]).catch(() => '')).trim();
  return value === '' ? undefined : value;
}

/**
 * Whether `tip` is one commit, on an ancestor of `base`, that makes exactly these changes and nothing else:
 * rebuilding it on `base` then loses nothing (the same request made again after the base moved on).
 */
async function holdsOnlyThisChange(root: string, git: SimpleGit, tip: string, base: string, prefix: string, changes: readonly FileChange[]): Promise<boolean> {
  const header = await readCommitHeader(git, tip);
  if (!header || header.parents.length !== 1) return false;
  const parent = header.parents[0]!;
  // Exit 1 means "not an ancestor": execFile rejects on it, where simple-git would not.
  const isAncestor = await execGit('git', ['merge-base', '--is-ancestor', parent, base], { cwd: root }).then(() => true, () => false);
  if (!isAncestor) return false;
  const changed = (await git.raw(['diff', '--name-only', '--no-renames', parent, tip])).split('\n').filter((l) => l !== '').sort();
  if (changed.join('\n') !== changes.map((c) => prefix + c.path).sort().join('\n')) return false;
  for (const change of changes) {
    const held = await git.raw(['cat-file', 'blob', `${tip}:${prefix + change.path}`]).catch(() => null);
    if (held !== change.content) return false;
  }
  return true;
}

/**
 * Makes `branch` one commit on `base` holding `changes`, without touching the working tree or the
 * index: the tree is built in a private index file from plumbing commands (read-tree, hash-object,
 * update-index, write-tree, commit-tree). A commit in `reuse` that already holds the same tree on the
 * same base is kept instead, so a run that finds nothing new makes no new commit and no push.
 * `prefix` is where the paths are relative to, inside the repository (`git rev-parse --show-prefix`).
 */
export async function commitOnBranch(root: string, prefix: string, request: BranchCommitRequest): Promise<BranchCommit | undefined> {
  const scratch = await mkdtemp(join(tmpdir(), 'grantops-commit-'));
  const git = simpleGit({ baseDir: root });
  const indexed = gitWith(root, { GIT_INDEX_FILE: join(scratch, 'index') });
  try {
    const checkedOut = (await git.raw(['symbolic-ref', '-q', 'HEAD']).catch(() => '')).trim();
    if (checkedOut === `refs/heads/${request.branch}`) {
      throw new Error(`branch ${request.branch} is checked out here: switch to another branch first, grantops rebuilds it`);
    }
    await indexed(['read-tree', request.base]);

    const removed = request.changes.filter((c) => c.content === null).map((c) => prefix + c.path);
    for (const part of chunks(removed)) await indexed(['update-index', '--force-remove', '--', ...part]);

    const written = request.changes.filter((c): c is { path: string; content: string } => c.content !== null);
    for (const part of chunks(written)) {
      const files = await Promise.all(
        part.map(async (change, i) => {
          const file = join(scratch, `blob-${i}`);
          await writeFile(file, change.content);
          return file;
        }),
      );
      const shas = (await indexed(['hash-object', '-w', '--no-filters', '--', ...files])).trim().split('\n');
      const entries = part.flatMap((change, i) => ['--cacheinfo', `100644,${shas[i]},${prefix + change.path}`]);
      await indexed(['update-index', '--add', ...entries]);
    }

    const tree = (await indexed(['write-tree'])).trim();
    const baseHeader = await readCommitHeader(git, request.base);
    if (!baseHeader) throw new Error(`base ${request.base} is not a commit of this clone`);
    if (baseHeader.tree === tree) return undefined;

    const localTip = (await git.raw(['rev-parse', '-q', '--verify', `refs/heads/${request.branch}^{commit}`]).catch(() => '')).trim();
    for (const candidate of [...(request.reuse ?? []), ...(localTip ? [localTip] : [])]) {
      const header = await readCommitHeader(git, candidate);
      if (header && header.tree === tree && header.parents.length === 1 && header.parents[0] === request.base) {
        await git.raw(['update-ref', `refs/heads/${request.branch}`, candidate]);
        return { sha: candidate, created: false };
      }
    }
    const existingTip = localTip || request.reuse?.[0];
    if (request.keepExisting && existingTip && !(await holdsOnlyThisChange(root, git, existingTip, request.base, prefix, request.changes))) {
      return { sha: existingTip, created: false, taken: true };
    }

    const identity: string[] = [];
    if (!(await configured(git, 'user.name'))) identity.push('-c', `user.name=${FALLBACK_IDENTITY.name}`);
    if (!(await configured(git, 'user.email'))) identity.push('-c', `user.email=${FALLBACK_IDENTITY.email}`);
    const messageFile = join(scratch, 'message');
    await writeFile(messageFile, request.message.endsWith('\n') ? request.message : `${request.message}\n`);
    const dated = gitWith(root, request.date ? gitDateEnv(request.date) : {});
    const sha = (await dated([...identity, 'commit-tree', tree, '-p', request.base, '-F', messageFile])).trim();
    await git.raw(['update-ref', `refs/heads/${request.branch}`, sha]);
    return { sha, created: true };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
