import type { CommitAuthor } from './commit-facts.js';
import type { PeopleEmails } from './read-people-emails.js';

export type AuthorResolver = (author: CommitAuthor) => string;

/**
 * Who wrote a commit, as a login where it can be told: GitHub's no-reply address carries the login
 * (`12345+kramer@users.noreply.github.com`), else the one person of people.yaml with that email
 * (several matches are no match). Otherwise `Name <email>`, exactly as git has it: the report never
 * guesses a login. Each distinct author is resolved once.
 */
export function createAuthorResolver(byEmail: PeopleEmails): AuthorResolver {
  const memo = new Map<string, string>();
  return (author) => {
    const key = `${author.name}\0${author.email}`;
    let found = memo.get(key);
    if (found === undefined) {
      found = resolve(author, byEmail);
      memo.set(key, found);
    }
    return found;
  };
}

function resolve(author: CommitAuthor, byEmail: ReadonlyMap<string, string | null>): string {
  const email = author.email.trim();
  const noreply = /^(?:\d+\+)?([A-Za-z0-9][A-Za-z0-9-]*(?:\[bot\])?)@users\.noreply\.github\.com$/i.exec(email);
  if (noreply) return noreply[1]!;
  return byEmail.get(email.toLowerCase()) ?? `${author.name} <${author.email}>`;
}
