import type { AccessRepo } from '../model.js';
import { classifyPath } from '../parse-access-repo.js';
import type { RepoSnapshot } from '../repo-file.js';
import { loginKey, sameLogin } from './login-key.js';

/**
 * Who may approve, when the rules name teams as well as people. An owner (of a resource, or of the
 * organisation) and the approval fallback may be a GitHub team, written `@org/team-slug`; its members
 * are read from GitHub (the app's Members permission) or given to the CLI (`check --teams FILE`), and
 * arrive here as plain facts. A team whose members are not known, or that has none, is an error: a
 * rule nobody can be shown to fill must never pass, nor wait silently (docs/decisions/0025).
 */

/** Members of each team the rules name, keyed by `teamKey` (`@org/slug`, lower-cased). */
export type TeamMembers = ReadonlyMap<string, readonly string[]>;

const TEAM_REF = /^@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function isTeamRef(entry: string): boolean {
  return TEAM_REF.test(entry);
}

export function teamKey(ref: string): string {
  return ref.toLowerCase();
}

/** Every team named by the rules that decide who approves: org owners, resource owners, the fallback. */
export function listRuleTeams(repo: AccessRepo): string[] {
  const org = repo.org?.value;
  const entries = [...(org?.owners ?? []), ...[...repo.resources.values()].flatMap((r) => r.value.owners), ...(org?.approvalFallback ? [org.approvalFallback] : [])];
  return [...new Set(entries.filter(isTeamRef).map(teamKey))].sort();
}

const TEAM_MENTION = /@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9][A-Za-z0-9_.-]*/g;

/**
 * The teams whose members a pull request's evaluation may need, read from the base's rule files without
 * parsing them: those mentioned in grantops.yaml (org owners, the fallback) and in the resource files of
 * the grants it changes. A mention that is no owner only costs a lookup; one missed would be an error.
 */
export function listTeamsToRead(rulesAtBase: RepoSnapshot, changedPaths: readonly string[]): string[] {
  const dir = rulesAtBase.dir;
  const resources = new Set(changedPaths.flatMap((p) => {
    const layout = classifyPath(dir, p);
    return layout.kind === 'grant' ? [layout.resource] : [];
  }));
  const teams = new Set<string>();
  for (const file of rulesAtBase.files) {
    const layout = classifyPath(dir, file.path);
    if (layout.kind !== 'org' && !(layout.kind === 'resource' && resources.has(layout.id))) continue;
    const text = typeof file.content === 'string' ? file.content : new TextDecoder().decode(file.content);
    for (const mention of text.match(TEAM_MENTION) ?? []) teams.add(teamKey(mention.replace(/[.]+$/, '')));
  }
  return [...teams].sort();
}

export interface ApproverPool {
  /** Logins that may approve: people named, and the members of teams named, author and grantee left out. */
  candidates: string[];
  /** How the pool was formed, for the `why` of a role. */
  describe: string;
  /** True when a team is among the entries. */
  hasTeam: boolean;
  /** Errors: a team whose members are unknown, or that has none. */
  problems: string[];
}

/** Expands people and teams into the logins that may approve, leaving out those who may not. */
export function expandApprovers(entries: readonly string[], teams: TeamMembers | undefined, excluded: readonly string[]): ApproverPool {
  const logins: string[] = [];
  const problems: string[] = [];
  const parts: string[] = [];
  for (const entry of entries) {
    if (!isTeamRef(entry)) {
      logins.push(entry);
      parts.push(entry);
      continue;
    }
    const members = teams?.get(teamKey(entry));
    if (members === undefined) {
      problems.push(`the members of team ${entry} are not known, so nobody can be shown to fill it${teams === undefined ? ' (give them to check with --teams FILE, or let the grantops app read them)' : ''}`);
      parts.push(`${entry} (members unknown)`);
    } else if (members.length === 0) {
      problems.push(`team ${entry} has no members, so it can approve nothing: add members or name people`);
      parts.push(`${entry} (no members)`);
    } else {
      logins.push(...members);
      parts.push(`${entry} (${members.join(', ')})`);
    }
  }
  const seen = new Set<string>();
  const candidates = logins.filter((login) => {
    const key = loginKey(login);
    if (seen.has(key) || excluded.some((x) => sameLogin(x, login))) return false;
    seen.add(key);
    return true;
  });
  return { candidates, describe: parts.join(', ') || 'nobody', hasTeam: entries.some(isTeamRef), problems };
}
