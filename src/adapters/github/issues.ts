import type { IssueRecord, NewIssue, RepoRef } from '../../ports.js';
import type { GitHubClient } from './github-client.js';

interface IssueJson {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  state: string;
  pull_request?: unknown;
  assignees?: { login: string }[] | null;
}

function toIssue(issue: IssueJson): IssueRecord {
  return { number: issue.number, url: issue.html_url, title: issue.title, body: issue.body ?? '', state: issue.state === 'closed' ? 'closed' : 'open' };
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error ? Number((error as { status: unknown }).status) : undefined;
}

/** Every issue with the label, open and closed; pull requests (which the issues API lists too) left out. */
export async function listIssues(client: GitHubClient, repo: RepoRef, label: string): Promise<IssueRecord[]> {
  const out: IssueRecord[] = [];
  for (let page = 1; ; page++) {
    const { data } = await client.rest.issues.listForRepo({ ...repo, labels: label, state: 'all', per_page: 100, page });
    for (const issue of data as IssueJson[]) if (!issue.pull_request) out.push(toIssue(issue));
    if (data.length < 100) return out;
  }
}

const LABEL_COLOR = '5319e7';

export async function ensureLabel(client: GitHubClient, repo: RepoRef, name: string, description: string): Promise<void> {
  try {
    await client.rest.issues.getLabel({ ...repo, name });
    return;
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  try {
    await client.rest.issues.createLabel({ ...repo, name, color: LABEL_COLOR, description });
  } catch (error) {
    // Another run made it in between: the label is there, which is all that was wanted.
    if (statusOf(error) !== 422) throw error;
  }
}

/**
 * Opens an issue. GitHub refuses the whole request when an assignee cannot be assigned (not a
 * collaborator, unknown login): then the issue is opened without assignees, who are named in its body.
 */
export async function createIssue(client: GitHubClient, repo: RepoRef, issue: NewIssue): Promise<IssueRecord & { assignees: string[] }> {
  const request = { ...repo, title: issue.title, body: issue.body, labels: [...issue.labels] };
  let data: IssueJson;
  try {
    ({ data } = await client.rest.issues.create({ ...request, assignees: [...issue.assignees] }));
  } catch (error) {
    if (statusOf(error) !== 422 || issue.assignees.length === 0) throw error;
    ({ data } = await client.rest.issues.create(request));
  }
  return { ...toIssue(data), assignees: (data.assignees ?? []).map((a) => a.login) };
}

export async function comment(client: GitHubClient, repo: RepoRef, number: number, body: string): Promise<void> {
  await client.rest.issues.createComment({ ...repo, issue_number: number, body });
}

export async function closeIssue(client: GitHubClient, repo: RepoRef, number: number): Promise<void> {
  await client.rest.issues.update({ ...repo, issue_number: number, state: 'closed', state_reason: 'completed' });
}
