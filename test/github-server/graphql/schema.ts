import type { GitObject } from '../git-store.js';
import type { GitHubState, PullState, RepoState } from '../state.js';
import { GraphqlFieldError, type GraphqlObject } from './execute-graphql.js';

type Args = Record<string, unknown>;

export interface SchemaOptions {
  /** Blob `text` longer than this many bytes is cut and flagged `isTruncated`, as GitHub does for big files. */
  blobTextLimit: number;
}

/** The root of GitHub's GraphQL schema, the subset the project's clients ask for, resolved against the state. */
export function queryRoot(state: GitHubState, options: SchemaOptions): GraphqlObject {
  return {
    __typename: 'Query',
    repository: ({ owner, name }: Args) => {
      const repo = state.repos.get(`${String(owner)}/${String(name)}`.toLowerCase());
      if (!repo) throw new GraphqlFieldError(`Could not resolve to a Repository with the name '${String(owner)}/${String(name)}'.`, ['repository']);
      return repositoryObject(state, repo, options);
    },
    rateLimit: { __typename: 'RateLimit', cost: 1, limit: 5000, remaining: 4999, resetAt: new Date(Date.now() + 3600_000).toISOString() },
  };
}

function repositoryObject(state: GitHubState, repo: RepoState, options: SchemaOptions): GraphqlObject {
  return {
    __typename: 'Repository',
    name: repo.name,
    nameWithOwner: repo.fullName,
    owner: actorObject(state, repo.owner.login),
    object: async ({ expression, oid }: Args) => {
      const spec = typeof expression === 'string' ? expression : typeof oid === 'string' ? oid : undefined;
      if (spec === undefined) throw new GraphqlFieldError('object needs an expression or an oid');
      const object = await repo.git.readObject(spec);
      const colon = spec.indexOf(':');
      const path = colon >= 0 ? spec.slice(colon + 1).replace(/\/+$/, '') : '';
      return object ? gitObject(repo, object, path, options) : null;
    },
    pullRequest: ({ number }: Args) => {
      const pull = repo.pulls.get(Number(number));
      if (!pull) throw new GraphqlFieldError(`Could not resolve to a PullRequest with the number of ${String(number)}.`, ['repository', 'pullRequest']);
      return pullRequestObject(state, repo, pull);
    },
  };
}

function gitObject(repo: RepoState, object: GitObject, path: string, options: SchemaOptions): GraphqlObject {
  switch (object.type) {
    case 'blob':
      return blobObject(object, options);
    case 'tree':
      return treeObject(repo, object, path, options);
    case 'commit':
      return { __typename: 'Commit', oid: object.oid, abbreviatedOid: object.oid.slice(0, 7), message: commitMessage(object) };
    default:
      return { __typename: 'Tag', oid: object.oid };
  }
}

function blobObject(object: GitObject, options: SchemaOptions): GraphqlObject {
  const bytes = object.content;
  const isBinary = bytes.subarray(0, 8000).includes(0);
  const isTruncated = bytes.length > options.blobTextLimit;
  return {
    __typename: 'Blob',
    oid: object.oid,
    abbreviatedOid: object.oid.slice(0, 7),
    byteSize: bytes.length,
    isBinary,
    isTruncated,
    text: isBinary ? null : bytes.subarray(0, options.blobTextLimit).toString('utf8'),
  };
}

function treeObject(repo: RepoState, object: GitObject, path: string, options: SchemaOptions): GraphqlObject {
  return {
    __typename: 'Tree',
    oid: object.oid,
    abbreviatedOid: object.oid.slice(0, 7),
    entries: async () => {
      const entries = (await repo.git.readTree(object.oid)) ?? [];
      return entries.map((entry) => {
        const entryPath = path === '' ? entry.name : `${path}/${entry.name}`;
        return {
          __typename: 'TreeEntry',
          name: entry.name,
          path: entryPath,
          type: entry.type,
          mode: parseInt(entry.mode, 8),
          oid: entry.oid,
          extension: entry.name.includes('.') ? entry.name.slice(entry.name.lastIndexOf('.')) : '',
          object: async () => {
            if (entry.type === 'commit') return null;
            const child = await repo.git.readObject(entry.oid);
            return child ? gitObject(repo, child, entryPath, options) : null;
          },
        };
      });
    },
  };
}

function commitMessage(object: GitObject): string {
  const text = object.content.toString('utf8');
  const blank = text.indexOf('\n\n');
  return blank >= 0 ? text.slice(blank + 2) : '';
}

function actorObject(state: GitHubState, login: string): GraphqlObject {
  const user = state.user(login);
  // GitHub's GraphQL names a bot by its app slug, without the "[bot]" its REST API adds.
  const name = user.type === 'Bot' ? login.replace(/\[bot\]$/, '') : login;
  return { __typename: user.type, login: name, databaseId: user.id };
}

function pullRequestObject(state: GitHubState, repo: RepoState, pull: PullState): GraphqlObject {
  return {
    __typename: 'PullRequest',
    number: pull.number,
    title: pull.title,
    body: pull.body,
    state: pull.state === 'open' ? 'OPEN' : 'CLOSED',
    author: actorObject(state, pull.author),
    headRefOid: pull.head.sha,
    headRefName: pull.head.ref,
    baseRefOid: pull.base.sha,
    baseRefName: pull.base.ref,
    changedFiles: async () => (await repo.git.diff(pull.base.sha, pull.head.sha)).length,
    reviews: (args: Args) => {
      const states = Array.isArray(args.states) ? new Set(args.states as string[]) : undefined;
      const reviews = pull.reviews.filter((r) => !states || states.has(r.state));
      return connection(
        reviews.map((r) => ({
          __typename: 'PullRequestReview',
          databaseId: r.id,
          author: actorObject(state, r.user),
          state: r.state,
          body: r.body,
          submittedAt: r.submittedAt,
          commit: { __typename: 'Commit', oid: r.commitId, abbreviatedOid: r.commitId.slice(0, 7) },
        })),
        args,
      );
    },
    reviewRequests: (args: Args) =>
      connection(
        pull.requestedReviewers.map((login) => ({ __typename: 'ReviewRequest', requestedReviewer: actorObject(state, login) })),
        args,
      ),
  };
}

/** GitHub's cursor connections: `first` (at most 100) is required, `after` continues from a cursor. */
function connection(items: GraphqlObject[], args: Args): GraphqlObject {
  const first = args.first;
  if (typeof first !== 'number') throw new GraphqlFieldError('You must provide a `first` or `last` value to properly paginate the connection.');
  if (first > 100) throw new GraphqlFieldError(`Requesting ${first} records on the connection exceeds the \`first\` limit of 100 records.`);
  const start = typeof args.after === 'string' ? Number(Buffer.from(args.after, 'base64').toString('utf8').replace('cursor:', '')) + 1 : 0;
  const page = items.slice(start, start + first);
  const cursor = (i: number) => Buffer.from(`cursor:${start + i}`).toString('base64');
  return {
    __typename: 'Connection',
    totalCount: items.length,
    nodes: page,
    edges: page.map((node, i) => ({ __typename: 'Edge', node, cursor: cursor(i) })),
    pageInfo: {
      __typename: 'PageInfo',
      hasNextPage: start + first < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length > 0 ? cursor(0) : null,
      endCursor: page.length > 0 ? cursor(page.length - 1) : null,
    },
  };
}
