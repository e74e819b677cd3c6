import type { Octokit } from '@octokit/rest';

/**
 * The part of an Octokit the GitHub adapters use. Probot's `context.octokit` and `@octokit/rest`'s
 * Octokit both fit, so the app and the Action share these adapters.
 */
export type GitHubClient = Pick<Octokit, 'rest' | 'graphql' | 'request'>;

/** True when a REST response's Link header names a next page. */
export function hasNextPage(link: string | undefined): boolean {
  return link !== undefined && /rel="next"/.test(link);
}

/** GitHub's GraphQL `Bot.login` lacks the `[bot]` suffix its REST API and webhooks use; one spelling everywhere. */
export function actorLogin(actor: { __typename?: string; login: string } | null | undefined): { login: string; isBot: boolean } {
  if (!actor) return { login: 'ghost', isBot: false };
  const isBot = actor.__typename === 'Bot' || actor.login.endsWith('[bot]');
  return { login: isBot && !actor.login.endsWith('[bot]') ? `${actor.login}[bot]` : actor.login, isBot };
}
