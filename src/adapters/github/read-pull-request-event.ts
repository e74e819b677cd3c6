import { readFile } from 'node:fs/promises';

/**
 * The author of the pull request a GitHub Actions run was triggered by: `pull_request.user.login` of the
 * event file GitHub writes (GITHUB_EVENT_PATH). Undefined outside Actions or for an event without a pull
 * request (a push, a schedule), so the caller falls back to what it can prove otherwise.
 */
export async function readPullRequestEventAuthor(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.GITHUB_ACTIONS !== 'true' || !env.GITHUB_EVENT_PATH) return undefined;
  let event: unknown;
  try {
    event = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8'));
  } catch (error) {
    throw new Error(`GITHUB_EVENT_PATH (${env.GITHUB_EVENT_PATH}) cannot be read as the event: ${error instanceof Error ? error.message : String(error)}`);
  }
  const login = (event as { pull_request?: { user?: { login?: unknown } } } | null)?.pull_request?.user?.login;
  return typeof login === 'string' && login !== '' ? login : undefined;
}
