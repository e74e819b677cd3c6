import type { TeamMembers } from '../../../src/core/approval/approver-pool.js';
import { evaluateApproval, type ApprovalResult } from '../../../src/core/approval/evaluate-approval.js';
import type { Review } from '../../../src/core/approval/pull-request.js';
import { renderApprovalComment } from '../../../src/render/approval-markdown.js';
import { ORG, RESOURCES, grantYaml, snapshot } from '../../helpers/repo.js';

/*
 * Teams as owners and approvers, and the fallback when nobody can approve. The test org
 * (test/helpers/repo.ts): owner (org owner, executive) <- boss <- mgr <- dev, dev2; boss <- res-owner.
 * prod-db is high: manager + owner.
 */
const NOW = new Date('2026-11-23T12:00:00Z');
const HEAD = 'a'.repeat(40);
const DB = 'prod-db';
const grantOf = (user: string) => grantYaml({ user, resource: DB, reason: 'debug OPS-1', expires: '2026-11-28T00:00:00Z', approvalExpires: '2027-01-10T00:00:00Z', status: 'active' });
const ownedBy = (owners: string) => RESOURCES[DB]!.replace('owners: [res-owner]', `owners: [${owners}]`);
const teams = (entries: Record<string, string[]>): TeamMembers => new Map(Object.entries(entries));

function judge(args: { author: string; grantee?: string; owners?: string; org?: string; teams?: TeamMembers; approvals?: string[]; rules?: Record<string, string> }): ApprovalResult {
  const grantee = args.grantee ?? args.author;
  const path = `access/grants/${grantee}/${DB}.yaml`;
  const reviews: Review[] = (args.approvals ?? []).map((reviewer, i) => ({ reviewer, state: 'APPROVED', commitSha: HEAD, submittedAt: new Date(Date.UTC(2026, 10, 23, 10, i)).toISOString() }));
  const changes = [{ path, head: grantOf(grantee) }, ...Object.entries(args.rules ?? {}).map(([p, head]) => ({ path: p, head }))];
  return evaluateApproval({
    rulesAtBase: snapshot({
      ...(args.owners !== undefined && { [`access/resources/aws-prod/${DB}.yaml`]: ownedBy(args.owners) }),
      ...(args.org !== undefined && { 'access/grantops.yaml': args.org }),
    }),
    changes,
    pr: { author: args.author, headSha: HEAD, baseSha: 'c'.repeat(40), changedFiles: changes.map((c) => c.path), reviews },
    now: NOW,
    ...(args.teams && { teams: args.teams }),
  });
}
const role = (r: ApprovalResult, name: string) => r.grants[0]!.roles.find((x) => x.role === name)!;

describe('teams as owners', () => {
  it('lets any member of an owning team approve as owner, never the grantee, and names the team', () => {
    const result = judge({ author: 'dev', owners: '"@vandelay/platform"', teams: teams({ '@vandelay/platform': ['dev', 'dev2'] }), approvals: ['mgr', 'dev2'] });
    expect(result.status).toBe('approved');
    expect(role(result, 'owner')).toMatchObject({ satisfiedBy: 'dev2', candidates: ['dev2'] });
    expect(role(result, 'owner').why).toMatch(/owned by @vandelay\/platform \(dev, dev2\)/);
  });

  it('does not count the grantee\'s own approval through their team', () => {
    const result = judge({ author: 'dev', owners: '"@vandelay/platform"', teams: teams({ '@vandelay/platform': ['dev', 'dev2'] }), approvals: ['mgr', 'dev'] });
    expect(result.status).toBe('pending');
    expect(role(result, 'owner')).toMatchObject({ status: 'missing', candidates: ['dev2'] });
  });

  it('matches team names and members regardless of case, as GitHub does', () => {
    const result = judge({ author: 'dev', owners: '"@Vandelay/Platform"', teams: teams({ '@vandelay/platform': ['Dev2'] }), approvals: ['mgr', 'dev2'] });
    expect(result.status).toBe('approved');
  });

  it.each([
    ['has no members', { '@vandelay/platform': [] as string[] }, /team @vandelay\/platform has no members, so it can approve nothing/],
    ['holds only the grantee', { '@vandelay/platform': ['dev'] }, /nobody can approve as owner: owner: prod-db is owned by @vandelay\/platform \(dev\)/],
    ['is not known (no membership was read)', undefined, /the members of team @vandelay\/platform are not known, so nobody can be shown to fill it \(give them to check with --teams FILE/],
  ])('is an error, located at the resource\'s owners, when the team %s', (_name, members, message) => {
    const result = judge({ author: 'dev', owners: '"@vandelay/platform"', ...(members && { teams: teams(members) }), approvals: ['mgr', 'dev'] });
    expect(result.status).toBe('invalid');
    expect(result.errors).toEqual([expect.objectContaining({ file: 'access/resources/aws-prod/prod-db.yaml', line: 3, rule: 'approval/unfillable-role', message: expect.stringMatching(message) })]);
  });

  it('treats an empty team as an error even when a named person could still approve', () => {
    const result = judge({ author: 'dev', owners: 'res-owner, "@vandelay/ghosts"', teams: teams({ '@vandelay/ghosts': [] }), approvals: ['mgr', 'res-owner'] });
    expect(result.status).toBe('invalid');
  });

  it('lets a team of org owners approve a rules change, never its author', () => {
    const org = ORG.replace('owners: [owner]', 'owners: ["@vandelay/admins"]');
    const people = 'access/people.yaml';
    const base = { org, teams: teams({ '@vandelay/admins': ['owner', 'boss'] }) };
    const byAuthor = judge({ author: 'owner', grantee: 'dev', ...base, approvals: ['mgr', 'res-owner', 'owner'], rules: { [people]: 'x' } });
    expect(byAuthor.rulesChange).toMatchObject({ status: 'missing', candidates: ['boss'] });
    const bySomeoneElse = judge({ author: 'owner', grantee: 'dev', ...base, approvals: ['mgr', 'res-owner', 'boss'], rules: { 'access/resources/aws-prod/extra.yaml': RESOURCES['logs-read']!.replace('logs-read', 'extra') } });
    expect(bySomeoneElse.rulesChange).toMatchObject({ status: 'satisfied', satisfiedBy: 'boss' });
  });
});

describe('the approval fallback', () => {
  const withFallback = (value: string) => `${ORG}approvalFallback: ${value}\n`;

  it('without one, the only owner asking for themselves is a dead end (as before)', () => {
    const result = judge({ author: 'res-owner', approvals: ['boss'] });
    expect(result.status).toBe('pending');
    expect(role(result, 'owner')).toMatchObject({ status: 'missing', candidates: [] });
    expect(role(result, 'owner').fallback).toBeUndefined();
  });

  it('gives the owner role to the org owners when the only owner asks, and says so', () => {
    const result = judge({ author: 'res-owner', org: withFallback('org-owner'), approvals: ['boss', 'owner'] });
    expect(result.status).toBe('approved');
    expect(role(result, 'owner')).toMatchObject({ status: 'satisfied', satisfiedBy: 'owner', fallback: 'org-owner' });
    expect(role(result, 'owner').why).toMatch(/nobody else can approve as owner, so the approval fallback applies: the org owners \(owner\)/);
  });

  it('says in the comment that the fallback applied, and who approved through it', () => {
    const result = judge({ author: 'res-owner', org: withFallback('org-owner'), approvals: ['boss', 'owner'] });
    const comment = renderApprovalComment(result);
    expect(comment).toContain('**Approval fallback applied**');
    expect(comment).toContain('- Nobody but the requester could approve as owner for **res-owner** → `prod-db`, so the approval fallback (`org-owner` in grantops.yaml) applies: **owner** approved.');
  });

  it('gives the manager role to the fallback when the person at the top of the chain asks', () => {
    // owner manages boss and nobody manages owner: owner asking for themselves has no manager.
    const result = judge({ author: 'owner', org: withFallback('executive'), approvals: ['res-owner'] });
    expect(role(result, 'manager')).toMatchObject({ status: 'missing', fallback: 'executive', candidates: [] });
    expect(result.status).toBe('invalid');
    expect(result.errors[0]!.message).toMatch(/nobody can approve as manager, not even the approval fallback executive/);
  });

  it('lets another org owner fill the manager role of the person at the top of the chain', () => {
    const org = withFallback('org-owner').replace('owners: [owner]', 'owners: [owner, boss]');
    const result = judge({ author: 'owner', org, approvals: ['res-owner', 'boss'] });
    expect(result.status).toBe('approved');
    expect(role(result, 'manager')).toMatchObject({ satisfiedBy: 'boss', fallback: 'org-owner' });
    expect(role(result, 'manager').why).toMatch(/^manager: owner has no manager in people\.yaml; nobody else can approve as manager, so the approval fallback applies/);
  });

  it('gives the role to a fallback team, without the author', () => {
    const result = judge({ author: 'res-owner', org: withFallback('"@vandelay/security"'), teams: teams({ '@vandelay/security': ['res-owner', 'dev2'] }), approvals: ['boss', 'dev2'] });
    expect(result.status).toBe('approved');
    expect(role(result, 'owner')).toMatchObject({ satisfiedBy: 'dev2', fallback: '@vandelay/security', candidates: ['dev2'] });
  });

  it('never stands in for a role somebody else can fill', () => {
    const result = judge({ author: 'dev', org: withFallback('org-owner'), approvals: ['mgr', 'owner'] });
    expect(result.status).toBe('pending');
    expect(role(result, 'owner')).toMatchObject({ status: 'missing', candidates: ['res-owner'] });
    expect(role(result, 'owner').fallback).toBeUndefined();
  });
});
