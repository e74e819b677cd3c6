import { simpleGit } from 'simple-git';
import { UsageError } from '../../core/usage-error.js';

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const ACCEPTED = /^refs\/(?:heads|remotes)\//;

/**
 * The refs git would try for a short name, in its own order (`git help revisions`): anyone who can push
 * can create most of them, so a name that more than one of them answers to is ambiguous, never a guess.
 */
function candidatesFor(name: string): string[] {
  if (name.startsWith('refs/')) return [name];
  return [`refs/${name}`, `refs/tags/${name}`, `refs/heads/${name}`, `refs/remotes/${name}`, `refs/remotes/${name}/HEAD`];
}

/**
 * Resolves what a user typed for `--base` / `--head` to exactly one commit: a branch or a remote-tracking
 * branch (by short or full name), `HEAD`, or a full SHA. A pushed tag named `main` (or `origin/main`) must
 * never stand in for the base the rules are read from, so a tag, a name two refs share, or a revision
 * expression (`main~1`, an abbreviated SHA) is refused with the refs it could mean.
 */
export async function resolveBranchOrCommit(root: string, ref: string): Promise<string> {
  if (ref === '' || ref.startsWith('-') || /[\s~^:?*[\\]|@\{|\.\./.test(ref.replace(/^HEAD$/, ''))) {
    throw new UsageError(`"${ref}" is not a branch name or a full commit SHA: pass a branch (main, origin/main, refs/heads/main) or a full 40-character SHA`);
  }
  const git = simpleGit({ baseDir: root });
  const names = ref === 'HEAD' ? [] : candidatesFor(ref);
  const listing = names.length === 0 ? '' : await git.raw(['for-each-ref', '--format=%(refname)%00%(objectname)', ...names]);
  const found = new Map<string, string>();
  for (const line of listing.split('\n')) {
    const [name, oid] = line.split('\0');
    if (name !== undefined && oid !== undefined && names.includes(name)) found.set(name, oid);
  }
  const isSha = FULL_SHA.test(ref);
  if (found.size > 1 || (isSha && found.size > 0)) {
    const branches = [...found.keys()].filter((name) => ACCEPTED.test(name));
    throw new UsageError(
      `"${ref}" is ambiguous: ${[...found.keys(), ...(isSha ? ['a commit SHA'] : [])].join(', ')} all answer to it (someone may have pushed a ref to shadow the branch); pass ${branches.length > 0 ? branches.join(' or ') : 'a branch\'s full name'} or a full SHA`,
    );
  }
  const [name, oid] = [...found.entries()][0] ?? [];
  if (name !== undefined && !ACCEPTED.test(name)) {
    throw new UsageError(`"${ref}" names ${name}, which is not a branch: check judges branches and commits, never tags (anyone who can push can create one); pass refs/heads/… or a full SHA`);
  }
  const target = ref === 'HEAD' ? 'HEAD' : isSha ? ref : oid;
  if (target === undefined) {
    throw new UsageError(`"${ref}" names no branch or remote-tracking branch in the repository (nor is it a full commit SHA)`);
  }
  const sha = (await git.raw(['rev-parse', '--verify', '--quiet', '--end-of-options', `${target}^{commit}`]).catch(() => '')).trim();
  if (!FULL_SHA.test(sha)) throw new UsageError(`"${ref}" does not name a commit in the repository`);
  return sha;
}
