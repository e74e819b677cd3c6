import type { AccessRepo } from '../model.js';

/**
 * Who wrote a commit, in people.yaml terms: the one person whose `email` matches (case-insensitively).
 * Undefined when nobody or more than one person matches: the caller must then be told, never guess.
 */
export function findAuthorByEmail(repo: Pick<AccessRepo, 'people'>, email: string): string | undefined {
  const wanted = email.trim().toLowerCase();
  if (wanted === '') return undefined;
  const matches = [...repo.people.values()].filter((p) => p.value.email?.toLowerCase() === wanted);
  return matches.length === 1 ? matches[0]!.value.login : undefined;
}
