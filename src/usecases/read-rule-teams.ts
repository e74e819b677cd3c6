import { listTeamsToRead, type TeamMembers } from '../core/approval/approver-pool.js';
import type { RepoSnapshot } from '../core/repo-file.js';
import type { PullRequestReader } from '../ports.js';

/**
 * The members of the teams a pull request's evaluation may need (one request per team, a page per 100
 * members), read afresh for each evaluation: who is in a team is GitHub's word now, not when the head
 * was first judged. A team GitHub will not show is left out, and the evaluator reports it.
 */
export async function readRuleTeams(reader: Pick<PullRequestReader, 'readTeamMembers'>, rulesAtBase: RepoSnapshot, changedFiles: readonly string[]): Promise<TeamMembers> {
  const members = new Map<string, string[]>();
  for (const team of listTeamsToRead(rulesAtBase, changedFiles)) {
    const [org, slug] = team.slice(1).split('/') as [string, string];
    const found = await reader.readTeamMembers(org, slug);
    if (found !== undefined) members.set(team, found);
  }
  return members;
}
