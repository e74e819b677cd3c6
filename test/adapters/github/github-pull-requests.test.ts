import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { GitHubPullRequestPublisher } from '../../../src/adapters/github/github-pull-request-publisher.js';
import { GitHubPullRequestReader } from '../../../src/adapters/github/github-pull-request-reader.js';
import type { CheckAnnotation, PullRequestTarget } from '../../../src/ports.js';
import { generateAppKey, signAppJwt } from '../../github-server/app-key.js';
import { startGitHubServer, type GitHubServer, type PullState, type RepoState } from '../../github-server/index.js';
import { TestRepo } from '../../github-server/test-repo.js';

const APP_ID = 9;
const key = generateAppKey();
let server: GitHubServer;
let repo: TestRepo;
let repoState: RepoState;
let client: Octokit;
let reader: GitHubPullRequestReader;
let publisher: GitHubPullRequestPublisher;
let base: string;
let pull: PullState;
let target: PullRequestTarget;

const bigPeople = `${'- { login: someone, name: Someone }\n'.repeat(40)}`;

beforeAll(async () => {
  // GraphQL cuts blob text at 1 KiB here, so the REST fallback for big files is exercised.
  server = await startGitHubServer({ appId: APP_ID, appKey: key, blobTextLimit: 1024 });
  server.state.addInstallation(1, 'acme');
  repo = await TestRepo.create();
  await repo.commit({
    'access/grantops.yaml': 'org: Acme\n',
    'access/people.yaml': bigPeople,
    'access/resources/aws/prod-db.yaml': 'id: prod-db\n',
    'access/resources/aws/notes.md': 'not a resource\n',
    'access/resources/gcp/bin.yaml': '\u0000binary',
    'access/grants/dev/old.yaml': 'user: dev\n',
    'other/file.txt': 'x\n',
  });
  // A symlink where a resource file should be is reported, never followed.
  await symlink('prod-db.yaml', join(repo.dir, 'access/resources/aws/linked.yaml'));
  base = await repo.commit({});
  await repo.branch('feature');
  const grants: Record<string, string | null> = { 'access/grants/dev/old.yaml': null, 'access/grants/dev/new.yaml': 'user: dev\n' };
  for (let i = 0; i < 249; i++) grants[`access/grants/u${i}/r.yaml`] = `user: u${i}\n`;
  const head = await repo.commit(grants);
  repoState = server.state.addRepository({ owner: 'acme', name: 'access', gitDir: repo.dir, collaborators: ['mgr', 'owner'] });
  pull = server.state.openPullRequest(repoState, { author: 'dev', headSha: head, baseSha: base });
  target = { owner: 'acme', repo: 'access', number: pull.number, headSha: head, baseSha: base };
  const jwt = signAppJwt(APP_ID, key);
  const token = (await new Octokit({ auth: jwt, baseUrl: server.apiUrl }).rest.apps.createInstallationAccessToken({ installation_id: 1 })).data.token;
  client = new Octokit({ auth: token, baseUrl: server.apiUrl, log: { debug() {}, info() {}, warn() {}, error() {} } });
  reader = new GitHubPullRequestReader(client);
  publisher = new GitHubPullRequestPublisher(client);
});

afterAll(async () => {
  await server.close();
  await repo.remove();
});

describe('GitHubPullRequestReader', () => {
  it('reads facts, the base rules and whether access changed in one GraphQL request, plus REST for what GraphQL cuts', async () => {
    server.state.submitReview(pull, 'mgr', 'APPROVED');
    server.state.submitReview(pull, 'ci[bot]', 'APPROVED');
    pull.requestedReviewers.push('owner');
    const from = server.requests.length;
    const overview = await reader.readOverview(target, 'access');
    const made = server.requestsSince(from).map((r) => `${r.method} ${r.path}`);
    expect(made[0]).toBe('POST /graphql');
    expect(made.slice(1).every((r) => r.startsWith('GET /repos/acme/access/git/blobs/'))).toBe(true);
    expect(made).toHaveLength(3);

    expect(overview.accessTreeChanged).toBe(true);
    expect(overview.facts).toMatchObject({ author: 'dev', headSha: target.headSha, changedFileCount: 250, requestedReviewers: ['owner'] });
    expect(overview.facts.reviews.map((r) => [r.reviewer, r.state, r.commitSha === target.headSha, r.isBot ?? false])).toEqual([
      ['mgr', 'APPROVED', true, false],
      ['ci[bot]', 'APPROVED', true, true],
    ]);
    const files = new Map(overview.rulesAtBase.files.map((f) => [f.path, f.content]));
    expect([...files.keys()]).toEqual(['access/grantops.yaml', 'access/people.yaml', 'access/resources/aws/prod-db.yaml', 'access/resources/gcp/bin.yaml']);
    expect(files.get('access/grantops.yaml')).toBe('org: Acme\n');
    expect(Buffer.from(files.get('access/people.yaml') as Uint8Array).toString()).toBe(bigPeople);
    expect(files.get('access/resources/gcp/bin.yaml')).toBeInstanceOf(Uint8Array);
    expect(overview.rulesAtBase.unreadable).toEqual([{ path: 'access/resources/aws/linked.yaml', reason: expect.stringContaining('symlink') }]);
  });

  it('says when the access directory is the same tree at base and head', async () => {
    const overview = await reader.readOverview({ ...target, headSha: base }, 'access');
    expect(overview.accessTreeChanged).toBe(false);
  });

  it('reads more than a hundred reviews a hundred at a time', async () => {
    for (let i = 0; i < 150; i++) server.state.submitReview(pull, `r${i}`, 'COMMENTED');
    const from = server.requests.length;
    const facts = await reader.readFacts(target);
    expect(facts.reviews).toHaveLength(152);
    expect(server.requestsSince(from)).toHaveLength(2);
  });

  it('lists changed paths a hundred per page, renames with their old path', async () => {
    const from = server.requests.length;
    const paths = await reader.listChangedPaths(target);
    expect(paths).toHaveLength(250);
    expect(paths).toContainEqual({ status: 'renamed', path: 'access/grants/dev/new.yaml', oldPath: 'access/grants/dev/old.yaml', oid: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(server.requestsSince(from)).toHaveLength(3);
  });

  it('reads files at commits two hundred at a time, null where absent', async () => {
    const wanted = Array.from({ length: 250 }, (_, i) => [
      { sha: target.headSha, path: `access/grants/u${i}/r.yaml` },
      { sha: base, path: `access/grants/u${i}/r.yaml` },
    ]).flat();
    const from = server.requests.length;
    const contents = await reader.readFiles(target, wanted);
    expect(server.requestsSince(from)).toHaveLength(3);
    expect(contents.get(`${target.headSha}:access/grants/u0/r.yaml`)).toBe('user: u0\n');
    expect(contents.get(`${base}:access/grants/u0/r.yaml`)).toBeNull();
    expect(contents.get(`${target.headSha}:access/grants/u249/r.yaml`)).toBeNull();
  });

  it('finds the open pull request of a head commit, and a commit’s first parent', async () => {
    expect(await reader.findPullRequestByHead(target, target.headSha)).toEqual({ number: pull.number, baseSha: base });
    expect(await reader.findPullRequestByHead(target, base)).toBeUndefined();
    expect(await reader.firstParent(target, target.headSha)).toBe(base);
  });
});

describe('GitHubPullRequestPublisher', () => {
  const annotation = (i: number): CheckAnnotation => ({ path: 'access/people.yaml', startLine: i + 1, endLine: i + 1, startColumn: 3, level: 'failure', title: 'schema', message: `problem ${i}` });

  it('creates a check run with annotations 50 per request, and updates it in place', async () => {
    const from = server.requests.length;
    const report = { name: 'grantops', headSha: target.headSha, status: 'completed' as const, conclusion: 'failure' as const, title: 'Invalid', summary: 's', annotations: Array.from({ length: 120 }, (_, i) => annotation(i)) };
    const id = await publisher.publishCheck(target, report);
    expect(server.requestsSince(from).map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH']);
    const run = repoState.checkRuns.get(id)!;
    expect(run.annotations).toHaveLength(120);
    expect(run.annotations[0]).toMatchObject({ start_line: 1, start_column: 3, end_column: 3, annotation_level: 'failure', title: 'schema' });
    expect(await publisher.publishCheck(target, { ...report, status: 'in_progress', conclusion: undefined, title: 'Waiting', annotations: [] }, id)).toBe(id);
    expect(run).toMatchObject({ status: 'in_progress', conclusion: null, output: { title: 'Waiting' } });
  });

  it('finds only a bot’s comment by its marker, and edits it', async () => {
    repoState.comments.set(1, { id: 1, issueNumber: pull.number, body: 'quoting <!-- marker -->', user: 'dev', createdAt: '', updatedAt: '' });
    expect(await publisher.findComment(target, '<!-- marker -->')).toBeUndefined();
    const id = await publisher.writeComment(target, 'first <!-- marker -->');
    expect(await publisher.findComment(target, '<!-- marker -->')).toEqual({ id, body: 'first <!-- marker -->' });
    expect(await publisher.writeComment(target, 'second <!-- marker -->', id)).toBe(id);
    expect(repoState.comments.get(id)!.body).toBe('second <!-- marker -->');
  });

  it('requests reviewers, and reports those GitHub refuses without losing the others', async () => {
    expect(await publisher.requestReviewers(target, ['owner', 'stranger'])).toEqual({ refused: ['stranger'] });
    expect(pull.requestedReviewers).toContain('owner');
    expect(pull.requestedReviewers).not.toContain('stranger');
  });
});
