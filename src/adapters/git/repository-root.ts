import { simpleGit } from 'simple-git';

/** The top of the git work tree holding `cwd`, or undefined outside one. */
export async function findRepositoryRoot(cwd: string): Promise<string | undefined> {
  const top = await simpleGit({ baseDir: cwd })
    .raw(['rev-parse', '--show-toplevel'])
    .then((out) => out.trim(), () => '');
  return top === '' ? undefined : top;
}

/**
 * `owner/name` of a GitHub remote, from its URL (`https://host/owner/name(.git)`, `git@host:owner/name.git`,
 * `ssh://git@host/owner/name.git`); undefined when the remote is missing or is not such a URL.
 */
export async function readRemoteRepository(root: string, remote: string): Promise<string | undefined> {
  const url = await simpleGit({ baseDir: root })
    .raw(['remote', 'get-url', remote])
    .then((out) => out.trim(), () => '');
  const match = /^(?:[a-z+]+:\/\/(?:[^@/]+@)?[^/]+\/|[^@/]+@[^:/]+:)([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(url);
  return match ? `${match[1]}/${match[2]}` : undefined;
}
