import type { Octokit } from '@octokit/rest';
import type { ReviewState } from '../../core/approval/pull-request.js';
import type { MergedPullRequestFacts, MergedPullRequests } from '../../ports.js';
import { createRestClient } from './rest-client.js';

export interface MergedPullRequestsOptions {
  token: string;
  /** `owner/name`. */
  repository: string;
  /** The REST API root, e.g. `https://api.github.com` or a GitHub Enterprise Server's `/api/v3`. */
  baseUrl?: string;
}

const STATES: ReadonlySet<string> = new Set(['APPROVED', 'CHANGES_REQUESTED', 'COMMENTED', 'DISMISSED', 'PENDING']);

/**
 * A merged pull request as its decision record needs it: who opened and merged it, its final head, and
 * every review (two requests, plus one per further 100 reviews).
 */
export class GitHubMergedPullRequests implements MergedPullRequests {
  private readonly octokit: Octokit;
  private readonly owner: string;
  private readonly repo: string;

  constructor(options: MergedPullRequestsOptions) {
    const { octokit, repo } = createRestClient({ ...options, userAgent: 'grantops-action' });
    this.owner = repo.owner;
    this.repo = repo.repo;
    this.octokit = octokit;
  }

  async readMergedPullRequest(number: number): Promise<MergedPullRequestFacts> {
    const where = `pull request #${number} of ${this.owner}/${this.repo}`;
    try {
      const [{ data: pr }, reviews] = await Promise.all([
        this.octokit.rest.pulls.get({ owner: this.owner, repo: this.repo, pull_number: number }),
        this.octokit.paginate(this.octokit.rest.pulls.listReviews, { owner: this.owner, repo: this.repo, pull_number: number, per_page: 100 }),
      ]);
      return {
        number,
        url: pr.html_url,
        author: pr.user?.login ?? 'ghost',
        headSha: pr.head.sha,
        baseSha: pr.base.sha,
        ...(pr.merge_commit_sha ? { mergeCommitSha: pr.merge_commit_sha } : {}),
        ...(pr.merged_by?.login ? { mergedBy: pr.merged_by.login } : {}),
        reviews: reviews
          .filter((r) => r.submitted_at && r.commit_id && STATES.has(r.state))
          .map((r) => ({
            reviewer: r.user?.login ?? 'ghost',
            state: r.state as ReviewState,
            commitSha: r.commit_id!,
            submittedAt: r.submitted_at!,
            ...(r.user?.type === 'Bot' ? { isBot: true } : {}),
          })),
      };
    } catch (error) {
      const status = (error as { status?: number }).status;
      const hint = status === 401 || status === 403 || status === 404 ? ' (the github-token needs pull-requests: read on this repository)' : '';
      throw new Error(`reading ${where} for its decision record failed${status ? ` with ${status}` : ''}: ${error instanceof Error ? error.message : String(error)}${hint}`);
    }
  }
}
