import type { FileAtCommit } from '../../ports.js';
import type { GitHubClient } from './github-client.js';
import type { BlobNode, GitObjectNode } from './pull-request-queries.js';

/**
 * Aliases per GraphQL request: a hundred files read at both base and head. GitHub answers queries of
 * this size well within its timeout, and it keeps a pull request of F grant files at ceil(F/100) reads.
 */
export const ALIASES_PER_QUERY = 200;

export type FileContents = Map<string, Uint8Array | string | null>;

export function fileKey(file: FileAtCommit): string {
  return `${file.sha}:${file.path}`;
}

/**
 * Reads files at commits through GraphQL `object(expression: "SHA:path")` aliases, ALIASES_PER_QUERY at a
 * time. Text GraphQL cannot give (binary, or cut because the file is large) is read as a blob over REST.
 */
export async function readBlobs(client: GitHubClient, owner: string, repo: string, files: readonly FileAtCommit[]): Promise<FileContents> {
  const unique = [...new Map(files.map((f) => [fileKey(f), f])).values()];
  const contents: FileContents = new Map();
  const needRest: { key: string; oid: string }[] = [];
  for (let start = 0; start < unique.length; start += ALIASES_PER_QUERY) {
    const batch = unique.slice(start, start + ALIASES_PER_QUERY);
    const variables: Record<string, string> = { owner, name: repo };
    const declarations = ['$owner: String!', '$name: String!'];
    const fields = batch.map((file, i) => {
      variables[`e${i}`] = fileKey(file);
      declarations.push(`$e${i}: String!`);
      return `f${i}: object(expression: $e${i}) { __typename ... on Blob { oid byteSize isBinary isTruncated text } }`;
    });
    const query = `query grantopsFiles(${declarations.join(', ')}) {\n  repository(owner: $owner, name: $name) {\n    ${fields.join('\n    ')}\n  }\n}`;
    const data = await client.graphql<{ repository: Record<string, GitObjectNode | null> | null }>(query, variables);
    if (!data.repository) throw new Error(`repository ${owner}/${repo} is not readable`);
    batch.forEach((file, i) => {
      const node = data.repository![`f${i}`] ?? null;
      const key = fileKey(file);
      const read = readBlobNode(node);
      if (read.kind === 'rest') needRest.push({ key, oid: read.oid });
      else contents.set(key, read.kind === 'text' ? read.text : null);
    });
  }
  for (const { key, oid } of needRest) contents.set(key, await readBlobRest(client, owner, repo, oid));
  return contents;
}

export type BlobRead = { kind: 'text'; text: string } | { kind: 'absent' } | { kind: 'not-a-file' } | { kind: 'rest'; oid: string };

/** What GraphQL gave for one object: all of a blob's text, nothing, something other than a file, or a blob to fetch whole. */
export function readBlobNode(node: GitObjectNode | null): BlobRead {
  if (!node) return { kind: 'absent' };
  if (node.__typename !== 'Blob') return { kind: 'not-a-file' };
  const blob = node as BlobNode;
  if (blob.isBinary || blob.isTruncated || blob.text === null) return { kind: 'rest', oid: blob.oid };
  return { kind: 'text', text: blob.text };
}

export async function readBlobRest(client: GitHubClient, owner: string, repo: string, oid: string): Promise<Uint8Array> {
  const { data } = await client.rest.git.getBlob({ owner, repo, file_sha: oid });
  return new Uint8Array(Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8'));
}
