import { GitHubCommitOrigins } from '../../../src/adapters/github/commit-origins.js';
import { FakeGitHub, GRANTOPS_APP_ID } from '../../action/fake-github.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const HEAD = 'c'.repeat(40);

describe('GitHubCommitOrigins', () => {
  let github: FakeGitHub;
  let baseUrl: string;
  beforeEach(async () => {
    github = new FakeGitHub();
    baseUrl = await github.start();
  });
  afterEach(async () => {
    await github.stop();
  });

  const origins = () => new GitHubCommitOrigins({ token: 't0ken', repository: 'vandelay/access', baseUrl, checkName: 'grantops' });

  it('reads each commit\'s pull requests and the grantops check runs on their final head, once per head', async () => {
    github.addPull({ number: 7, commits: [A, B], headSha: HEAD }, [{ conclusion: 'success' }, { name: 'lint', conclusion: 'failure' }]);
    const found = await origins().findCommitOrigins([A, B, A]);
    expect(found[A]).toEqual({
      sha: A,
      pullRequests: [{
        number: 7,
        url: 'https://github.example/vandelay/access/pull/7',
        mergedAt: '2026-11-20T10:00:00Z',
        baseRef: 'main',
        headSha: HEAD,
        // The app's id is what provenance trusts; the slug is only shown.
        checkRuns: [{ name: 'grantops', status: 'completed', conclusion: 'success', app: 'grantops', appId: GRANTOPS_APP_ID }],
      }],
    });
    expect(found[B]!.pullRequests[0]!.number).toBe(7);
    const paths = github.requests.map((r) => r.path);
    expect(paths.filter((p) => p.endsWith('/pulls')).sort()).toEqual([`/repos/vandelay/access/commits/${A}/pulls`, `/repos/vandelay/access/commits/${B}/pulls`]);
    expect(paths.filter((p) => p.endsWith('/check-runs'))).toEqual([`/repos/vandelay/access/commits/${HEAD}/check-runs`]);
    expect(github.requests.find((r) => r.path.endsWith('/check-runs'))!.query).toMatchObject({ check_name: 'grantops', filter: 'latest' });
    expect(github.requests.every((r) => r.authorization === 'token t0ken')).toBe(true);
  });

  it('reports a commit no pull request knows as having none', async () => {
    expect(await origins().findCommitOrigins([A])).toEqual({ [A]: { sha: A, pullRequests: [] } });
  });

  it('stops with the permissions it needs when GitHub refuses', async () => {
    github.status = 403;
    await expect(origins().findCommitOrigins([A])).rejects.toThrow(
      new RegExp(`GitHub GET /repos/vandelay/access/commits/${A}/pulls failed with 403: .*needs contents: read, pull-requests: read and checks: read`),
    );
  });

  it('refuses a repository that is not owner/name', () => {
    expect(() => new GitHubCommitOrigins({ token: 't', repository: 'vandelay', checkName: 'grantops' })).toThrow(/not owner\/name/);
  });
});
