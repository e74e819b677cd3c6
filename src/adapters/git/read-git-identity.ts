import { simpleGit } from 'simple-git';
import type { IdentityHints } from '../../core/request/resolve-requester.js';

/** What git config says about the person at the keyboard: `github.user`, `user.email`, `user.name`. */
export async function readGitIdentity(root: string): Promise<IdentityHints> {
  const git = simpleGit({ baseDir: root });
  const get = async (key: string) => {
    const value = (await git.raw(['config', '--get', key]).catch(() => '')).trim();
    return value === '' ? undefined : value;
  };
  const [githubUser, email, name] = await Promise.all([get('github.user'), get('user.email'), get('user.name')]);
  return { ...(githubUser ? { githubUser } : {}), ...(email ? { email } : {}), ...(name ? { name } : {}) };
}
