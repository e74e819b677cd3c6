import type { IssueRecord, LifecycleGitHub, NewIssue, OpenPullRequest, RepoRef } from '../../ports.js';
import type { GitHubClient } from './github-client.js';
import { closeIssue, comment, createIssue, ensureLabel, listIssues } from './issues.js';
import { createPullRequest, findOpenPullRequest, updatePullRequest } from './pulls.js';
import { createRestClient } from './rest-client.js';


export interface LifecycleGitHubOptions {
  token: string;
  /** `owner/name`. */
  repository: string;
  /** The REST API root: `https://api.github.com` by default, or a GitHub Enterprise Server's `/api/v3`. */
  baseUrl?: string;
}

/** The lifecycle's pull requests and issues on one repository, over any Octokit (the Action's, the CLI's, the app's). */
export class GitHubLifecycle implements LifecycleGitHub {
  constructor(
    private readonly client: GitHubClient,
    readonly repo: RepoRef,
  ) {}

  static fromToken(options: LifecycleGitHubOptions): GitHubLifecycle {
    const { octokit, repo } = createRestClient(options);
    return new GitHubLifecycle(octokit, repo);
  }

  findOpenPullRequest(head: string, base: string): Promise<OpenPullRequest | undefined> {
    return findOpenPullRequest(this.client, this.repo, head, base);
  }

  createPullRequest(request: { head: string; base: string; title: string; body: string }): Promise<OpenPullRequest> {
    return createPullRequest(this.client, this.repo, request);
  }

  updatePullRequest(number: number, update: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<void> {
    return updatePullRequest(this.client, this.repo, number, update);
  }

  listIssues(label: string): Promise<IssueRecord[]> {
    return listIssues(this.client, this.repo, label);
  }

  ensureLabel(name: string, description: string): Promise<void> {
    return ensureLabel(this.client, this.repo, name, description);
  }

  createIssue(issue: NewIssue): Promise<IssueRecord & { assignees: string[] }> {
    return createIssue(this.client, this.repo, issue);
  }

  comment(number: number, body: string): Promise<void> {
    return comment(this.client, this.repo, number, body);
  }

  closeIssue(number: number): Promise<void> {
    return closeIssue(this.client, this.repo, number);
  }
}
