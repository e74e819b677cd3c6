import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateAppKey, newAppKey, signAppJwt } from './app-key.js';
import { startGitHubServer, type GitHubServer, type PullState, type RepoState } from './index.js';
import { TestRepo } from './test-repo.js';

const APP_ID = 42;
const key = generateAppKey();

let server: GitHubServer;
let repo: TestRepo;
let repoState: RepoState;
let pull: PullState;
let token: string;
let baseSha: string;
let headSha: string;

async function api(method: string, path: string, body?: unknown, auth: string | null = `token ${token}`) {
  const res = await fetch(`${server.apiUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as any) : undefined };
}

async function graphql(query: string, variables: Record<string, unknown> = {}) {
  const res = await fetch(`${server.url}/api/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await res.json()) as { data?: any; errors?: { message: string }[] };
}

beforeAll(async () => {
  server = await startGitHubServer({ appId: APP_ID, appKey: key, blobTextLimit: 64 });
  repo = await TestRepo.create();
  baseSha = await repo.commit({ 'access/grantops.yaml': 'org: Test\n', 'access/people.yaml': '- { login: a }\n', 'README.md': 'hello\n' });
  await repo.branch('feature');
  headSha = await repo.commit({
    'access/grants/a/x.yaml': 'user: a\n',
    'access/people.yaml': '- { login: a }\n- { login: b }\n',
    'README.md': null,
    'big.txt': 'x'.repeat(100),
    'bin.dat': '\u0000\u0001',
  });
  server.state.addInstallation(7, 'acme');
  repoState = server.state.addRepository({ owner: 'acme', name: 'access', gitDir: repo.dir, collaborators: ['rev', 'rev2', 'author'] });
  pull = server.state.openPullRequest(repoState, { author: 'author', headSha, baseSha });
  token = (await api('POST', '/app/installations/7/access_tokens', undefined, `Bearer ${signAppJwt(APP_ID, key)}`)).body.token;
});

afterAll(async () => {
  await server.close();
  await repo.remove();
});

describe('the stand-in GitHub server', () => {
  it('issues installation tokens only to a JWT signed with the app key, and refuses unknown tokens', async () => {
    expect(token).toMatch(/^ghs_/);
    const otherKey = newAppKey();
    expect((await api('POST', '/app/installations/7/access_tokens', undefined, `Bearer ${signAppJwt(APP_ID, otherKey)}`)).status).toBe(401);
    expect((await api('POST', '/app/installations/7/access_tokens', undefined, `Bearer ${signAppJwt(99, key)}`)).status).toBe(401);
    expect((await api('GET', `/repos/acme/access/pulls/${pull.number}`, undefined, 'token ghs_nope')).status).toBe(401);
    expect((await api('GET', `/repos/acme/access/pulls/${pull.number}`, undefined, null)).status).toBe(401);
  });

  it('serves the pull request and its files computed by git, with renames and removals', async () => {
    const pr = await api('GET', `/repos/acme/access/pulls/${pull.number}`);
    expect(pr.body).toMatchObject({ number: pull.number, user: { login: 'author', type: 'User' }, head: { sha: headSha }, base: { sha: baseSha }, changed_files: 5 });
    const files = await api('GET', `/repos/acme/access/pulls/${pull.number}/files?per_page=2`);
    expect(files.body.map((f: { filename: string }) => f.filename)).toEqual(['README.md', 'access/grants/a/x.yaml']);
    expect(files.body[0].status).toBe('removed');
    expect(files.headers.get('link')).toContain('page=2');
    expect(files.headers.get('link')).toContain('rel="next"');
    expect(files.headers.get('link')).toContain(server.apiUrl);
  });

  it('records every request with method, path, query and body', async () => {
    const from = server.requests.length;
    await api('POST', '/repos/acme/access/check-runs', { name: 'probe', head_sha: headSha, status: 'in_progress' });
    expect(server.requestsSince(from)).toEqual([
      { method: 'POST', path: '/repos/acme/access/check-runs', query: {}, body: { name: 'probe', head_sha: headSha, status: 'in_progress' }, status: 201 },
    ]);
  });

  it('answers GraphQL blob aliases at SHA:path, nested trees, and null for what does not exist', async () => {
    const result = await graphql(
      `query($owner: String!, $name: String!, $e0: String!) {
        repository(owner: $owner, name: $name) {
          f0: object(expression: $e0) { ...blob }
          f1: object(expression: "${baseSha}:access/grants/a/x.yaml") { ...blob }
          big: object(expression: "${headSha}:big.txt") { ...blob }
          bin: object(expression: "${headSha}:bin.dat") { ...blob }
          dir: object(expression: "${headSha}:access") { __typename ... on Tree { entries { name path type object { ... on Blob { text } } } } }
        }
      }
      fragment blob on Blob { oid byteSize isBinary isTruncated text }`,
      { owner: 'acme', name: 'access', e0: `${headSha}:access/grants/a/x.yaml` },
    );
    expect(result.errors).toBeUndefined();
    const r = result.data.repository;
    expect(r.f0).toMatchObject({ text: 'user: a\n', isBinary: false, isTruncated: false, byteSize: 8 });
    expect(r.f1).toBeNull();
    expect(r.big).toMatchObject({ isTruncated: true, byteSize: 100 });
    expect(r.big.text).toHaveLength(64);
    expect(r.bin).toMatchObject({ isBinary: true, text: null });
    expect(r.dir.__typename).toBe('Tree');
    expect(r.dir.entries.map((e: { path: string }) => e.path)).toEqual(['access/grantops.yaml', 'access/grants', 'access/people.yaml']);
    expect(r.dir.entries[0].object.text).toBe('org: Test\n');
    expect(r.dir.entries[1].object).toEqual({});
  });

  it('reports GraphQL errors the way GitHub does: 200 with an errors list', async () => {
    expect((await graphql('query { repository(owner: "acme", name: "access") { nope } }')).errors?.[0]?.message).toContain("Field 'nope' doesn't exist");
    expect((await graphql('query { repository(owner: "acme" name: ')).errors?.[0]?.message).toBeDefined();
    expect((await graphql('query($n: String!) { repository(owner: "acme", name: $n) { name } }')).errors?.[0]?.message).toContain('$n');
  });

  it('keeps reviews, withdraws a reviewer from the requested list when they review, and pages reviews in GraphQL', async () => {
    expect((await api('POST', `/repos/acme/access/pulls/${pull.number}/requested_reviewers`, { reviewers: ['author'] })).status).toBe(422);
    expect((await api('POST', `/repos/acme/access/pulls/${pull.number}/requested_reviewers`, { reviewers: ['stranger'] })).status).toBe(422);
    expect((await api('POST', `/repos/acme/access/pulls/${pull.number}/requested_reviewers`, { reviewers: ['rev', 'rev2'] })).status).toBe(201);
    server.state.submitReview(pull, 'rev', 'APPROVED');
    server.state.submitReview(pull, 'ci[bot]', 'COMMENTED');
    const requested = await api('GET', `/repos/acme/access/pulls/${pull.number}/requested_reviewers`);
    expect(requested.body.users.map((u: { login: string }) => u.login)).toEqual(['rev2']);
    const reviews = await api('GET', `/repos/acme/access/pulls/${pull.number}/reviews`);
    expect(reviews.body.map((r: { user: { login: string; type: string }; state: string }) => [r.user.login, r.user.type, r.state])).toEqual([
      ['rev', 'User', 'APPROVED'],
      ['ci[bot]', 'Bot', 'COMMENTED'],
    ]);
    const page = await graphql(`{ repository(owner: "acme", name: "access") { pullRequest(number: ${pull.number}) {
      reviews(first: 1) { totalCount pageInfo { hasNextPage endCursor } nodes { author { __typename login } state commit { oid } } } } } }`);
    const connection = page.data.repository.pullRequest.reviews;
    expect(connection).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true }, nodes: [{ author: { __typename: 'User', login: 'rev' }, state: 'APPROVED', commit: { oid: headSha } }] });
    const next = await graphql(`{ repository(owner: "acme", name: "access") { pullRequest(number: ${pull.number}) {
      reviews(first: 1, after: "${connection.pageInfo.endCursor}") { nodes { author { __typename login } } } } } }`);
    expect(next.data.repository.pullRequest.reviews.nodes).toEqual([{ author: { __typename: 'Bot', login: 'ci' } }]);
  });

  it('refuses more than 50 annotations per check-run request and accumulates them across updates', async () => {
    const annotation = (i: number) => ({ path: 'access/people.yaml', start_line: i + 1, end_line: i + 1, annotation_level: 'failure', message: `problem ${i}` });
    const output = (n: number, from = 0) => ({ title: 't', summary: 's', annotations: Array.from({ length: n }, (_, i) => annotation(from + i)) });
    expect((await api('POST', '/repos/acme/access/check-runs', { name: 'grantops', head_sha: headSha, output: output(51) })).status).toBe(422);
    expect((await api('POST', '/repos/acme/access/check-runs', { name: 'grantops', head_sha: 'f'.repeat(40) })).status).toBe(422);
    const created = await api('POST', '/repos/acme/access/check-runs', { name: 'grantops', head_sha: headSha, status: 'in_progress', output: output(50) });
    expect(created.status).toBe(201);
    const updated = await api('PATCH', `/repos/acme/access/check-runs/${created.body.id}`, { conclusion: 'failure', output: output(10, 50) });
    expect(updated.body).toMatchObject({ status: 'completed', conclusion: 'failure', output: { annotations_count: 60 } });
    expect((await api('PATCH', `/repos/acme/access/check-runs/${created.body.id}`, { status: 'completed' })).status).toBe(422);
    const listed = await api('GET', `/repos/acme/access/commits/${headSha}/check-runs?check_name=grantops`);
    expect(listed.body.total_count).toBe(1);
  });

  it('creates, lists and edits issue comments as the app bot', async () => {
    const created = await api('POST', `/repos/acme/access/issues/${pull.number}/comments`, { body: 'first' });
    expect(created.body.user).toMatchObject({ login: 'grantops[bot]', type: 'Bot' });
    await api('PATCH', `/repos/acme/access/issues/comments/${created.body.id}`, { body: 'second' });
    const listed = await api('GET', `/repos/acme/access/issues/${pull.number}/comments`);
    expect(listed.body.map((c: { body: string }) => c.body)).toEqual(['second']);
  });

  it('fails a request on demand, once', async () => {
    server.failNext({ method: 'GET', path: /\/pulls\/\d+$/, status: 502 });
    expect((await api('GET', `/repos/acme/access/pulls/${pull.number}`)).status).toBe(502);
    expect((await api('GET', `/repos/acme/access/pulls/${pull.number}`)).status).toBe(200);
  });
});

describe('a pull request over the listing cap', () => {
  it('lists at most 3,000 files but counts them all in changed_files', async () => {
    const big = await TestRepo.create();
    try {
      const base = await big.commit({ 'README.md': 'x\n' });
      const files: Record<string, string> = {};
      for (let i = 0; i < 3001; i++) files[`access/grants/u${i}/r.yaml`] = `user: u${i}\n`;
      const head = await big.commit(files);
      const state = server.state.addRepository({ owner: 'acme', name: 'big', gitDir: big.dir });
      const pr = server.state.openPullRequest(state, { author: 'author', headSha: head, baseSha: base });
      expect((await api('GET', `/repos/acme/big/pulls/${pr.number}`)).body.changed_files).toBe(3001);
      const last = await api('GET', `/repos/acme/big/pulls/${pr.number}/files?per_page=100&page=30`);
      expect(last.body).toHaveLength(100);
      expect(last.headers.get('link') ?? '').not.toContain('rel="next"');
      expect((await api('GET', `/repos/acme/big/pulls/${pr.number}/files?per_page=100&page=31`)).body).toEqual([]);
    } finally {
      await big.remove();
    }
  });
});
