import type { CheckAnnotation, CheckRunReport, PullRequestComment, PullRequestPublisher, RepoRef } from '../../ports.js';
import { hasNextPage, type GitHubClient } from './github-client.js';

/** GitHub takes at most this many annotations in one check-run request. */
export const ANNOTATIONS_PER_REQUEST = 50;

type PullRef = RepoRef & { number: number };

/** Publishes an evaluation to GitHub: the check run, the one comment, the review requests. */
export class GitHubPullRequestPublisher implements PullRequestPublisher {
  constructor(private readonly client: GitHubClient) {}

  async publishCheck(repo: RepoRef, report: CheckRunReport, existingId?: number): Promise<number> {
    const batches: CheckAnnotation[][] = [];
    for (let i = 0; i < report.annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(report.annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
    const output = (annotations: CheckAnnotation[] = []) => ({
      title: report.title,
      summary: report.summary,
      ...(report.text !== undefined ? { text: report.text } : {}),
      ...(annotations.length > 0 ? { annotations: annotations.map(toApiAnnotation) } : {}),
    });
    const state = report.status === 'completed' ? { status: 'completed' as const, conclusion: report.conclusion ?? 'neutral' } : { status: 'in_progress' as const };
    let id = existingId;
    if (id === undefined) {
      const { data } = await this.client.rest.checks.create({ owner: repo.owner, repo: repo.repo, name: report.name, head_sha: report.headSha, ...state, output: output(batches[0]), ...(report.externalId !== undefined && { external_id: report.externalId }) });
      id = data.id;
    } else {
      await this.client.rest.checks.update({ owner: repo.owner, repo: repo.repo, check_run_id: id, ...state, output: output(batches[0]), ...(report.externalId !== undefined && { external_id: report.externalId }) });
    }
    // GitHub appends the annotations of each update to the run's.
    for (const batch of batches.slice(1)) {
      await this.client.rest.checks.update({ owner: repo.owner, repo: repo.repo, check_run_id: id, output: output(batch) });
    }
    return id;
  }

  async findComment(pr: PullRef, marker: string): Promise<PullRequestComment | undefined> {
    for (let page = 1; ; page++) {
      const response = await this.client.rest.issues.listComments({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, per_page: 100, page });
      // Only a bot's comment is ours to edit: a person quoting the marker does not hijack it.
      const found = response.data.find((c) => c.user?.type === 'Bot' && (c.body ?? '').includes(marker));
      if (found) return { id: found.id, body: found.body ?? '' };
      if (!hasNextPage(response.headers.link) || response.data.length === 0) return undefined;
    }
  }

  async writeComment(pr: PullRef, body: string, existingId?: number): Promise<number> {
    if (existingId !== undefined) {
      await this.client.rest.issues.updateComment({ owner: pr.owner, repo: pr.repo, comment_id: existingId, body });
      return existingId;
    }
    const { data } = await this.client.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body });
    return data.id;
  }

  async requestReviewers(pr: PullRef, logins: readonly string[]): Promise<{ refused: string[] }> {
    if (logins.length === 0) return { refused: [] };
    try {
      await this.client.rest.pulls.requestReviewers({ owner: pr.owner, repo: pr.repo, pull_number: pr.number, reviewers: [...logins] });
      return { refused: [] };
    } catch (error) {
      // GitHub refuses the whole request when one login cannot review (not a collaborator); ask each alone.
      if (statusOf(error) !== 422 || logins.length === 1) {
        if (statusOf(error) === 422) return { refused: [...logins] };
        throw error;
      }
    }
    const refused: string[] = [];
    for (const login of logins) {
      try {
        await this.client.rest.pulls.requestReviewers({ owner: pr.owner, repo: pr.repo, pull_number: pr.number, reviewers: [login] });
      } catch (error) {
        if (statusOf(error) !== 422) throw error;
        refused.push(login);
      }
    }
    return { refused };
  }
}

function toApiAnnotation(a: CheckAnnotation) {
  return {
    path: a.path,
    start_line: a.startLine,
    end_line: a.endLine,
    ...(a.startColumn !== undefined && a.startLine === a.endLine ? { start_column: a.startColumn, end_column: a.endColumn ?? a.startColumn } : {}),
    annotation_level: a.level,
    message: a.message,
    ...(a.title !== undefined ? { title: a.title } : {}),
  };
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'status' in error ? Number((error as { status: unknown }).status) : undefined;
}
