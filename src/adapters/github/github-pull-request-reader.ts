import { posix } from 'node:path';
import type { Review } from '../../core/approval/pull-request.js';
import { classifyPath } from '../../core/parse-access-repo.js';
import type { RepoFile, RepoSnapshot, UnreadableEntry } from '../../core/repo-file.js';
import type {
  FileAtCommit,
  GitChangedPath,
  GitChangeStatus,
  PullRequestFacts,
  PullRequestOverview,
  PullRequestReader,
  PullRequestTarget,
  RepoRef,
} from '../../ports.js';
import { CHECK_NAME } from '../../render/approval-check-run.js';
import { hasNextPage, type GitHubClient } from './github-client.js';
import {
  FACTS_QUERY,
  OVERVIEW_QUERY,
  toFacts,
  toReviews,
  type FactsNode,
  type FactsResponse,
  type GitObjectNode,
  type OverviewResponse,
  type TreeEntryNode,
} from './pull-request-queries.js';
import { readBlobNode, readBlobRest, readBlobs } from './read-blobs.js';

const SYMLINK_MODE = 0o120000;

const STATUSES: Record<string, GitChangeStatus> = {
  added: 'added',
  removed: 'deleted',
  modified: 'modified',
  renamed: 'renamed',
  copied: 'copied',
  changed: 'type-changed',
  unchanged: 'modified',
};

/** Reads pull requests through GitHub's GraphQL and REST APIs, in as few requests as they allow. */
export class GitHubPullRequestReader implements PullRequestReader {
  constructor(private readonly client: GitHubClient) {}

  async readOverview(target: PullRequestTarget, dir: string): Promise<PullRequestOverview> {
    const at = (sha: string, path: string) => `${sha}:${path}`;
    const data = await this.client.graphql<OverviewResponse>(OVERVIEW_QUERY, {
      owner: target.owner,
      name: target.repo,
      number: target.number,
      reviewsAfter: null,
      baseAccess: at(target.baseSha, dir),
      headAccess: at(target.headSha, dir),
      baseSchemas: at(target.baseSha, 'schemas'),
      headSchemas: at(target.headSha, 'schemas'),
      org: at(target.baseSha, posix.join(dir, 'grantops.yaml')),
      people: at(target.baseSha, posix.join(dir, 'people.yaml')),
      resources: at(target.baseSha, posix.join(dir, 'resources')),
    });
    const repository = data.repository;
    if (!repository?.pullRequest) throw new Error(`pull request ${target.owner}/${target.repo}#${target.number} cannot be read`);
    const facts = await this.completeFacts(target, repository.pullRequest);
    const rulesAtBase = await this.rulesSnapshot(target, dir, repository);
    const accessTreeChanged = repository.baseAccess?.oid !== repository.headAccess?.oid || repository.baseSchemas?.oid !== repository.headSchemas?.oid;
    return { facts, rulesAtBase, accessTreeChanged };
  }

  async readFacts(target: PullRequestTarget): Promise<PullRequestFacts> {
    const node = await this.factsPage(target, null);
    return this.completeFacts(target, node);
  }

  async listChangedPaths(target: PullRequestTarget): Promise<GitChangedPath[]> {
    const paths: GitChangedPath[] = [];
    for (let page = 1; ; page++) {
      const response = await this.client.rest.pulls.listFiles({ owner: target.owner, repo: target.repo, pull_number: target.number, per_page: 100, page });
      for (const file of response.data) {
        const entry: GitChangedPath = { status: STATUSES[file.status] ?? 'modified', path: file.filename };
        if (file.previous_filename) entry.oldPath = file.previous_filename;
        if (file.status !== 'removed' && file.sha) entry.oid = file.sha;
        paths.push(entry);
      }
      if (!hasNextPage(response.headers.link) || response.data.length === 0) return paths;
    }
  }

  readFiles(repo: RepoRef, files: readonly FileAtCommit[]): Promise<Map<string, Uint8Array | string | null>> {
    return readBlobs(this.client, repo.owner, repo.repo, files);
  }

  /** One tree listing and one batched read: rare (only pull requests that change the rules need it). */
  async readGrants(repo: RepoRef, sha: string, dir: string): Promise<RepoSnapshot> {
    const { data } = await this.client.rest.git.getTree({ owner: repo.owner, repo: repo.repo, tree_sha: sha, recursive: 'true' });
    if (data.truncated) throw new Error(`the tree of ${sha.slice(0, 7)} is too large for GitHub to list at once, so the grants the rules change could break cannot all be read`);
    const unreadable: UnreadableEntry[] = [];
    const paths: string[] = [];
    for (const entry of data.tree) {
      if (entry.path === undefined || classifyPath(dir, entry.path).kind !== 'grant') continue;
      if (entry.type === 'blob' && entry.mode !== '120000') paths.push(entry.path);
      else unreadable.push({ path: entry.path, reason: 'not a regular file (symlinks and submodules are not followed)' });
    }
    const contents = await readBlobs(this.client, repo.owner, repo.repo, paths.map((path) => ({ sha, path })));
    const files: RepoFile[] = paths.flatMap((path) => {
      const content = contents.get(`${sha}:${path}`);
      return content === null || content === undefined ? [] : [{ path, content }];
    });
    return { dir, files, unreadable };
  }

  async findPullRequestByHead(repo: RepoRef, sha: string): Promise<{ number: number; baseSha: string } | undefined> {
    const { data } = await this.client.rest.repos.listPullRequestsAssociatedWithCommit({ owner: repo.owner, repo: repo.repo, commit_sha: sha, per_page: 100 });
    const pull = data.find((p) => p.state === 'open' && p.head.sha === sha);
    return pull ? { number: pull.number, baseSha: pull.base.sha } : undefined;
  }

  async firstParent(repo: RepoRef, sha: string): Promise<string | undefined> {
    const { data } = await this.client.rest.git.getCommit({ owner: repo.owner, repo: repo.repo, commit_sha: sha });
    return data.parents[0]?.sha;
  }

  async readTeamMembers(org: string, slug: string): Promise<string[] | undefined> {
    try {
      const logins: string[] = [];
      for (let page = 1; ; page++) {
        const response = await this.client.rest.teams.listMembersInOrg({ org, team_slug: slug, per_page: 100, page });
        logins.push(...response.data.map((member) => member.login));
        if (!hasNextPage(response.headers.link) || response.data.length === 0) return logins;
      }
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  }

  async readRecordedFingerprints(repo: RepoRef, sha: string, appId: number): Promise<string[]> {
    const { data } = await this.client.rest.checks.listForRef({ owner: repo.owner, repo: repo.repo, ref: sha, check_name: CHECK_NAME, app_id: appId, filter: 'all', per_page: 100 });
    // The filter is GitHub's; checking the app again costs nothing and does not depend on it.
    return data.check_runs.filter((run) => run.app?.id === appId && typeof run.external_id === 'string').map((run) => run.external_id!);
  }

  private async factsPage(target: PullRequestTarget, after: string | null): Promise<FactsNode> {
    const data = await this.client.graphql<FactsResponse>(FACTS_QUERY, { owner: target.owner, name: target.repo, number: target.number, reviewsAfter: after });
    const node = data.repository?.pullRequest;
    if (!node) throw new Error(`pull request ${target.owner}/${target.repo}#${target.number} cannot be read`);
    return node;
  }

  /** A pull request with more than a hundred reviews takes one more request per hundred. */
  private async completeFacts(target: PullRequestTarget, first: FactsNode): Promise<PullRequestFacts> {
    const reviews: Review[] = toReviews(first.reviews.nodes);
    let page = first.reviews.pageInfo;
    while (page.hasNextPage && page.endCursor) {
      const next = await this.factsPage(target, page.endCursor);
      reviews.push(...toReviews(next.reviews.nodes));
      page = next.reviews.pageInfo;
    }
    return toFacts(first, reviews);
  }

  /** The base's grantops.yaml, people.yaml and resources/<system>/<id>.yaml, as the core reads a snapshot. */
  private async rulesSnapshot(target: PullRequestTarget, dir: string, repository: NonNullable<OverviewResponse['repository']>): Promise<RepoSnapshot> {
    const files: RepoFile[] = [];
    const unreadable: UnreadableEntry[] = [];
    const pending: { path: string; oid: string }[] = [];
    const take = (path: string, node: GitObjectNode | null) => {
      const read = readBlobNode(node);
      if (read.kind === 'text') files.push({ path, content: read.text });
      else if (read.kind === 'rest') pending.push({ path, oid: read.oid });
      else if (read.kind === 'not-a-file') unreadable.push({ path, reason: 'a directory stands where a YAML file should be' });
    };
    take(posix.join(dir, 'grantops.yaml'), repository.org);
    take(posix.join(dir, 'people.yaml'), repository.people);
    const resources = repository.resources;
    if (resources && resources.__typename !== 'Tree') {
      unreadable.push({ path: posix.join(dir, 'resources'), reason: 'resources is a file, not a directory' });
    }
    for (const system of resources?.entries ?? []) {
      if (system.object?.__typename !== 'Tree') continue;
      for (const entry of (system.object as { entries?: TreeEntryNode[] }).entries ?? []) {
        if (!/\.ya?ml$/.test(entry.name)) continue;
        if (entry.mode === SYMLINK_MODE) unreadable.push({ path: entry.path, reason: 'not a regular file (symlinks and devices are not followed)' });
        else take(entry.path, entry.object);
      }
    }
    for (const { path, oid } of pending) files.push({ path, content: await readBlobRest(this.client, target.owner, target.repo, oid) });
    files.sort((a, b) => a.path.localeCompare(b.path));
    return { dir, files, unreadable };
  }
}
