import { GitHubLifecycle } from '../../src/adapters/github/lifecycle-github.js';
import { GitBranchWriter } from '../../src/adapters/git/git-branch-writer.js';
import { startGitHubServer, type GitHubServer } from '../github-server/index.js';
import { issueUserToken } from '../github-server/user-tokens.js';
import { createGitFixture, type GitFixture } from './git-fixture.js';

describe('the lifecycle GitHub adapter against the stand-in server', () => {
  let server: GitHubServer;
  let fx: GitFixture;
  let github: GitHubLifecycle;

  beforeEach(async () => {
    server = await startGitHubServer();
    fx = await createGitFixture({ 'access/grants/a.yaml': 'a: 1\n' });
    server.state.addInstallation(1, 'acme');
    server.state.addRepository({ owner: 'acme', name: 'access', gitDir: fx.bare, collaborators: ['dev', 'owner'] });
    github = GitHubLifecycle.fromToken({ token: issueUserToken(server.state, 'github-actions[bot]', 1), repository: 'acme/access', baseUrl: server.apiUrl });
  });
  afterEach(async () => {
    await server.close();
    await fx.cleanup();
  });

  async function pushBranch(branch: string, content: string): Promise<string> {
    const writer = new GitBranchWriter(fx.clone);
    const commit = await writer.commitOnBranch({ branch, base: await writer.headCommit(), changes: [{ path: 'access/grants/a.yaml', content }], message: 'm' });
    await writer.pushBranch('origin', branch, commit!.sha, await writer.fetchBranch('origin', branch));
    return commit!.sha;
  }

  it('opens one pull request per branch, finds it again, edits and closes it', async () => {
    await pushBranch('grantops/revoke', 'a: 2\n');
    expect(await github.findOpenPullRequest('grantops/revoke', 'main')).toBeUndefined();
    const opened = await github.createPullRequest({ head: 'grantops/revoke', base: 'main', title: 'Revoke', body: 'one' });
    await expect(github.createPullRequest({ head: 'grantops/revoke', base: 'main', title: 'Revoke', body: 'two' })).rejects.toMatchObject({ status: 422 });
    expect(await github.findOpenPullRequest('grantops/revoke', 'main')).toEqual({ number: opened.number, url: opened.url, title: 'Revoke', body: 'one', headRef: 'grantops/revoke' });
    await github.updatePullRequest(opened.number, { body: 'two' });
    expect((await github.findOpenPullRequest('grantops/revoke', 'main'))!.body).toBe('two');
    await github.updatePullRequest(opened.number, { state: 'closed' });
    expect(await github.findOpenPullRequest('grantops/revoke', 'main')).toBeUndefined();
    expect(server.state.repository('acme', 'access').pulls.get(opened.number)!.author).toBe('github-actions[bot]');
  });

  it('moves an open pull request\'s head when its branch is pushed again', async () => {
    await pushBranch('grantops/revoke', 'a: 2\n');
    const opened = await github.createPullRequest({ head: 'grantops/revoke', base: 'main', title: 'Revoke', body: '' });
    const second = await pushBranch('grantops/revoke', 'a: 3\n');
    await github.updatePullRequest(opened.number, { title: 'Revoke again' });
    expect(server.state.repository('acme', 'access').pulls.get(opened.number)!.head.sha).toBe(second);
  });

  it('lists issues by label (open and closed, pull requests left out), creates labels once, drops refused assignees', async () => {
    await github.ensureLabel('grantops:manual', 'manual');
    await github.ensureLabel('grantops:manual', 'manual');
    const first = await github.createIssue({ title: 'one', body: 'marker-1', labels: ['grantops:manual'], assignees: ['owner'] });
    expect(first.assignees).toEqual(['owner']);
    const second = await github.createIssue({ title: 'two', body: 'marker-2', labels: ['grantops:manual'], assignees: ['not-a-collaborator'] });
    expect(second.assignees).toEqual([]);
    await github.createIssue({ title: 'other', body: '', labels: ['elsewhere'], assignees: [] });
    await github.comment(first.number, 'hello');
    expect(server.state.repository('acme', 'access').comments.size).toBe(1);
    const listed = await github.listIssues('grantops:manual');
    expect(listed.map((i) => i.body).sort()).toEqual(['marker-1', 'marker-2']);
    expect(server.requestsSince(0, { method: 'POST', path: /\/labels$/ })).toHaveLength(1);
  });
});
