import { simpleGit } from 'simple-git';

/**
 * The branch's tip on the remote, with its commit fetched into the clone (as
 * `refs/remotes/<remote>/<branch>`) so it can be compared; undefined when the remote has no such branch.
 * In a shallow clone (a CI checkout) only that commit is fetched, not its history.
 */
export async function fetchBranch(root: string, remote: string, branch: string): Promise<string | undefined> {
  const git = simpleGit({ baseDir: root });
  const listed = (await git.raw(['ls-remote', '--heads', remote, `refs/heads/${branch}`])).trim();
  const sha = listed.split(/\s+/)[0];
  if (!sha) return undefined;
  const present = await git.raw(['cat-file', '-e', `${sha}^{commit}`]).then(() => true, () => false);
  if (!present) {
    const shallow = (await git.raw(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
    await git.raw(['fetch', '--no-tags', ...(shallow ? ['--depth=1'] : []), remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`]);
  }
  return sha;
}

/**
 * Points the remote's `branch` at `sha`, with a lease: the push fails if the branch moved from
 * `expected` (or, with `expected` undefined, if it appeared) since it was read, so two runs at once
 * cannot overwrite each other's commit unseen.
 */
export async function pushBranch(root: string, remote: string, branch: string, sha: string, expected: string | undefined): Promise<void> {
  const ref = `refs/heads/${branch}`;
  await simpleGit({ baseDir: root }).raw(['push', '--porcelain', `--force-with-lease=${ref}:${expected ?? ''}`, remote, `${sha}:${ref}`]);
}
