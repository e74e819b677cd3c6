import { parse } from 'yaml';
import { loadAccessRepo } from '../../src/core/load-access-repo.js';
import { planGrantRequest } from '../../src/core/request/plan-grant-request.js';
import { resolveRequester } from '../../src/core/request/resolve-requester.js';
import { PEOPLE, snapshot } from '../helpers/repo.js';

const NOW = new Date('2026-12-07T06:00:00Z');
const repo = loadAccessRepo(snapshot(), NOW).repo;

describe('planGrantRequest: a new grant', () => {
  it('writes the file with expires from --for-duration and the sensitivity\'s whole approvalTtl', () => {
    const plan = planGrantRequest(repo, undefined, { resource: 'logs-read', grantee: 'dev', requester: 'dev', forDuration: '7d', reason: 'Debug OPS-1', now: NOW });
    expect(plan.problems).toEqual([]);
    expect(plan.shape).toBe('new');
    expect(plan.path).toBe('access/grants/dev/logs-read.yaml');
    expect(plan.branch).toBe('grant/dev/logs-read-2026-12-07');
    expect(parse(plan.text)).toEqual({ user: 'dev', resource: 'logs-read', reason: 'Debug OPS-1', expires: '2026-12-14T06:00:00Z', approvalExpires: '2027-06-05T06:00:00Z', status: 'active' });
  });

  it('takes --until and --approval-ttl as given', () => {
    const plan = planGrantRequest(repo, undefined, { resource: 'prod-db', grantee: 'dev', requester: 'dev', until: new Date('2026-12-10T00:00:00Z'), approvalTtl: '30d', reason: 'x', now: NOW });
    expect(plan.grant).toMatchObject({ expires: '2026-12-10T00:00:00Z', approvalExpires: '2027-01-06T06:00:00Z' });
  });

  it('reports longer than maxAccess, a missing reason, an unknown resource and a bad duration', () => {
    const tooLong = planGrantRequest(repo, undefined, { resource: 'prod-db', grantee: 'dev', requester: 'dev', forDuration: '8d', reason: 'x', now: NOW });
    expect(tooLong.problems.map((p) => [p.rule, p.line])).toEqual([['grant/max-access', 5]]);
    expect(planGrantRequest(repo, undefined, { resource: 'logs-read', grantee: 'dev', requester: 'dev', forDuration: '7d', now: NOW }).problems.map((p) => p.rule)).toEqual(['request/reason']);
    expect(planGrantRequest(repo, undefined, { resource: 'nope', grantee: 'dev', requester: 'dev', forDuration: '7d', reason: 'x', now: NOW }).problems[0]!.message).toMatch(/known: logs-read, prod-db/);
    expect(planGrantRequest(repo, undefined, { resource: 'logs-read', grantee: 'dev', requester: 'dev', forDuration: '7x', reason: 'x', now: NOW }).problems.map((p) => p.rule)).toEqual(['request/expires']);
    expect(planGrantRequest(repo, undefined, { resource: 'logs-read', grantee: 'dev', requester: 'dev', until: new Date('2026-12-01T00:00:00Z'), reason: 'x', now: NOW }).problems.map((p) => p.rule)).toEqual(['request/expires']);
  });
});

describe('planGrantRequest: an existing grant', () => {
  const expired = `# keep me
user: dev
resource: logs-read
reason: Debug OPS-1
expires: 2026-12-01T00:00:00Z
approvalExpires: 2027-03-01T00:00:00Z
status: expired
`;
  const existing = { text: expired, grant: parse(expired) };

  it('renews: moves expires, sets status active, keeps the approval, the reason and the comments', () => {
    const plan = planGrantRequest(repo, existing, { resource: 'logs-read', grantee: 'dev', requester: 'dev', forDuration: '7d', now: NOW });
    expect(plan.shape).toBe('renewal');
    expect(plan.problems).toEqual([]);
    expect(plan.text).toBe(expired.replace('2026-12-01T00:00:00Z', '2026-12-14T06:00:00Z').replace('status: expired', 'status: active'));
  });

  it('a renewal past the approval it renews under is refused with a hint', () => {
    const plan = planGrantRequest(repo, existing, { resource: 'logs-read', grantee: 'dev', requester: 'dev', until: new Date('2027-03-02T00:00:00Z'), now: NOW });
    expect(plan.problems.map((p) => p.rule)).toContain('grant/expires-after-approval');
    expect(plan.problems.find((p) => p.rule === 'grant/expires-after-approval')!.message).toMatch(/--approval-ttl/);
  });

  it('asks for a new approval when the old one has lapsed', () => {
    const lapsed = expired.replace('2027-03-01T00:00:00Z', '2026-12-05T00:00:00Z');
    const plan = planGrantRequest(repo, { text: lapsed, grant: parse(lapsed) }, { resource: 'logs-read', grantee: 'dev', requester: 'dev', forDuration: '7d', now: NOW });
    expect(plan.shape).toBe('change');
    expect(plan.grant.approvalExpires).toBe('2027-06-05T06:00:00Z');
  });

  it('moving expires of running access is an extension', () => {
    const running = expired.replace('2026-12-01T00:00:00Z', '2026-12-08T00:00:00Z').replace('status: expired', 'status: active');
    const plan = planGrantRequest(repo, { text: running, grant: parse(running) }, { resource: 'logs-read', grantee: 'dev', requester: 'dev', forDuration: '7d', now: NOW });
    expect(plan.shape).toBe('extension');
  });
});

describe('resolveRequester', () => {
  const people = loadAccessRepo(snapshot({ 'access/people.yaml': `${PEOPLE}- { login: kramer, name: Cosmo Kramer, email: kramer@example.com, aws: { user: kramer } }\n` }), NOW).repo.people;

  it('takes --as first, then github.user, then the e-mail, then user.name as login or name', () => {
    expect(resolveRequester(people, { as: 'DEV', githubUser: 'mgr' }).login).toBe('dev');
    expect(resolveRequester(people, { githubUser: 'mgr', email: 'kramer@example.com' }).login).toBe('mgr');
    expect(resolveRequester(people, { githubUser: 'someone-else', email: 'Kramer@Example.com' }).login).toBe('kramer');
    expect(resolveRequester(people, { name: 'dev2' }).login).toBe('dev2');
    expect(resolveRequester(people, { name: 'Cosmo Kramer' }).login).toBe('kramer');
  });

  it('says what it tried when nothing matches, and refuses an --as nobody has', () => {
    expect(resolveRequester(people, { name: 'Stranger' })).toEqual({ why: expect.stringContaining('pass --as LOGIN') });
    expect(resolveRequester(people, { as: 'ghost' }).login).toBeUndefined();
  });
});

describe('the grant a request writes validates', () => {
  it('loads without errors at the same time', () => {
    const plan = planGrantRequest(repo, undefined, { resource: 'prod-db', grantee: 'dev', requester: 'dev', forDuration: '7d', reason: 'Fix: "quoted" #1', now: NOW });
    const loaded = loadAccessRepo(snapshot({ [plan.path]: plan.text }), NOW);
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(loaded.repo.grants.get(plan.path)!.value.reason).toBe('Fix: "quoted" #1');
  });
});
