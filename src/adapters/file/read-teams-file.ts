import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { isTeamRef, teamKey, type TeamMembers } from '../../core/approval/approver-pool.js';

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;

/**
 * The team memberships `grantops check --teams FILE` judges with, away from GitHub: a YAML (or JSON)
 * mapping of each team to its members' logins, e.g. written from `gh api orgs/ORG/teams/SLUG/members`:
 *
 *     "@vandelay/platform": [elaine, george]
 *
 * Anything else is refused with the file and the entry at fault: a membership list that is wrong would
 * let the wrong person approve.
 */
export async function readTeamsFile(path: string): Promise<TeamMembers> {
  let value: unknown;
  try {
    value = parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: cannot read the team memberships: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${path}: expected a mapping of teams ("@org/team-slug") to lists of member logins`);
  }
  const teams = new Map<string, string[]>();
  for (const [team, members] of Object.entries(value as Record<string, unknown>)) {
    if (!isTeamRef(team)) throw new Error(`${path}: "${team}" is not a team: write it as @org/team-slug`);
    if (!Array.isArray(members) || members.some((m) => typeof m !== 'string' || !LOGIN.test(m))) {
      throw new Error(`${path}: the members of ${team} must be a list of GitHub logins`);
    }
    teams.set(teamKey(team), members as string[]);
  }
  return teams;
}
