import { findAuthorByEmail } from '../approval/find-author-by-email.js';
import type { AccessRepo } from '../model.js';
import type { CommitAuthor } from './commit-facts.js';

/**
 * Who wrote a commit, as a login where it can be told: GitHub's no-reply address carries the login
 * (`12345+kramer@users.noreply.github.com`), else the one person of people.yaml with that email.
 * Otherwise `Name <email>`, exactly as git has it: the report never guesses a login.
 */
export function resolveCommitAuthor(author: CommitAuthor, people: Pick<AccessRepo, 'people'>): string {
  const noreply = /^(?:\d+\+)?([A-Za-z0-9][A-Za-z0-9-]*(?:\[bot\])?)@users\.noreply\.github\.com$/i.exec(author.email.trim());
  if (noreply) return noreply[1]!;
  return findAuthorByEmail(people, author.email) ?? `${author.name} <${author.email}>`;
}
