import type { Review, ReviewState } from '../../core/approval/pull-request.js';
import type { PullRequestFacts } from '../../ports.js';
import { actorLogin } from './github-client.js';

/**
 * The GraphQL documents the app reads a pull request with. The overview takes one request: the pull
 * request's author, head, reviews and review requests; the access directory's tree ids at base and
 * head (equal trees: nothing to judge); and the base's rule files with their text.
 */
const FACTS_FRAGMENT = `
fragment facts on PullRequest {
  author { __typename login }
  headRefOid
  changedFiles
  reviewRequests(first: 100) { nodes { requestedReviewer { __typename ... on User { login } ... on Bot { login } } } }
  reviews(first: 100, after: $reviewsAfter) {
    pageInfo { hasNextPage endCursor }
    nodes { author { __typename login } state submittedAt commit { oid } }
  }
}`;

const BLOB_FRAGMENT = `
fragment blob on Blob { oid byteSize isBinary isTruncated text }`;

export const FACTS_QUERY = `
query grantopsFacts($owner: String!, $name: String!, $number: Int!, $reviewsAfter: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) { ...facts }
  }
}
${FACTS_FRAGMENT}`;

export const OVERVIEW_QUERY = `
query grantopsOverview($owner: String!, $name: String!, $number: Int!, $reviewsAfter: String,
  $baseAccess: String!, $headAccess: String!, $baseSchemas: String!, $headSchemas: String!,
  $org: String!, $people: String!, $resources: String!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) { ...facts }
    baseAccess: object(expression: $baseAccess) { oid }
    headAccess: object(expression: $headAccess) { oid }
    baseSchemas: object(expression: $baseSchemas) { oid }
    headSchemas: object(expression: $headSchemas) { oid }
    org: object(expression: $org) { __typename ...blob }
    people: object(expression: $people) { __typename ...blob }
    resources: object(expression: $resources) {
      __typename
      ... on Tree {
        entries {
          name path type mode
          object {
            __typename ...blob
            ... on Tree { entries { name path type mode object { __typename ...blob } } }
          }
        }
      }
    }
  }
}
${FACTS_FRAGMENT}
${BLOB_FRAGMENT}`;

export interface BlobNode {
  __typename: 'Blob';
  oid: string;
  byteSize: number;
  isBinary: boolean | null;
  isTruncated: boolean;
  text: string | null;
}

export type GitObjectNode = BlobNode | { __typename: 'Tree' | 'Commit' | 'Tag' };

export interface TreeEntryNode {
  name: string;
  path: string;
  type: string;
  mode: number;
  object: (GitObjectNode & { entries?: TreeEntryNode[] }) | null;
}

interface ActorNode {
  __typename: string;
  login: string;
}

export interface FactsNode {
  author: ActorNode | null;
  headRefOid: string;
  changedFiles: number;
  reviewRequests: { nodes: ({ requestedReviewer: ActorNode | null } | null)[] };
  reviews: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: ({ author: ActorNode | null; state: string; submittedAt: string | null; commit: { oid: string } | null } | null)[];
  };
}

export interface FactsResponse {
  repository: { pullRequest: FactsNode | null } | null;
}

export interface OverviewResponse {
  repository: {
    pullRequest: FactsNode | null;
    baseAccess: { oid: string } | null;
    headAccess: { oid: string } | null;
    baseSchemas: { oid: string } | null;
    headSchemas: { oid: string } | null;
    org: GitObjectNode | null;
    people: GitObjectNode | null;
    resources: (GitObjectNode & { entries?: TreeEntryNode[] }) | null;
  } | null;
}

const REVIEW_STATES = new Set<ReviewState>(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING']);

export function toReviews(nodes: FactsNode['reviews']['nodes']): Review[] {
  return nodes.flatMap((node) => {
    // A pending review is a draft only its author sees; it approves nothing.
    if (!node || !node.submittedAt || !REVIEW_STATES.has(node.state as ReviewState) || node.state === 'PENDING') return [];
    const { login, isBot } = actorLogin(node.author);
    const review: Review = { reviewer: login, state: node.state as ReviewState, commitSha: node.commit?.oid ?? '', submittedAt: node.submittedAt };
    if (isBot) review.isBot = true;
    return [review];
  });
}

export function toFacts(node: FactsNode, reviews: Review[]): PullRequestFacts {
  return {
    author: actorLogin(node.author).login,
    headSha: node.headRefOid,
    changedFileCount: node.changedFiles,
    reviews,
    requestedReviewers: node.reviewRequests.nodes.flatMap((n) => (n?.requestedReviewer?.login ? [actorLogin(n.requestedReviewer).login] : [])),
  };
}
