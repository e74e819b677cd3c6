import type { AuditEvent, AuditReport, GrantTimeline } from '../../../src/core/audit/audit-report.js';
import type { InventoryReport, InventoryUser } from '../../../src/core/inventory/build-inventory.js';
import type { UserAttachment } from '../../../src/core/inventory/explain-access.js';
import { loadAccessRepo } from '../../../src/core/load-access-repo.js';
import type { AccessRepo } from '../../../src/core/model.js';
import { ACTIVITY_LIMIT, buildAccessReport, type AccessReportInput } from '../../../src/core/report/build-access-report.js';
import { grantYaml, snapshot } from '../../helpers/repo.js';

const NOW = new Date('2026-11-24T00:00:00Z');
const NO_HISTORY = { unavailable: 'not a git clone' } as const;

function repoWith(files: Record<string, string | null>): AccessRepo {
  const { repo, diagnostics } = loadAccessRepo(snapshot(files), NOW);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return repo;
}

const grant = (user: string, resource: string, expires: string, extra: Record<string, string> = {}) => ({
  [`access/grants/${user}/${resource}.yaml`]: grantYaml({ user, resource, reason: `${user} needs ${resource}`, expires, status: 'active', ...extra }),
});

/** An account read-out written inline: each user with what it holds and how the repository explains it. */
function inventory(users: Record<string, { person?: string; risk?: number; reach?: string; holds?: Partial<UserAttachment>[] }>, extra: Partial<InventoryReport> = {}): InventoryReport {
  return {
    system: 'aws-prod',
    type: 'aws',
    at: NOW.toISOString(),
    model: 'test',
    catalogue: 'test',
    users: Object.entries(users).map(([name, u]): InventoryUser => ({
      name,
      arn: `arn:aws:iam::111122223333:user/${name}`,
      ...(u.person ? { person: u.person } : {}),
      risk: u.risk ?? 0,
      ...(u.reach ? { reach: u.reach } : {}),
      accessKeys: [],
      attachments: (u.holds ?? []).map((a) => ({ user: name, kind: 'policy', target: 'arn:aws:iam::aws:policy/X', status: 'granted', grants: [], resources: [], ...(u.person ? { person: u.person } : {}), ...a })),
    })),
    groups: [],
    roles: [],
    policies: [],
    resources: [],
    unmanaged: [],
    recommendations: [],
    ...extra,
  };
}

function build(repo: AccessRepo, inventories: InventoryReport[] = [], history: AccessReportInput['history'] = NO_HISTORY) {
  return buildAccessReport({ repo, inventories, now: NOW, horizonDays: 14, history });
}

const RDS = 'arn:aws:iam::aws:policy/AmazonRDSFullAccess';

describe('buildAccessReport: the matrix', () => {
  it('calls a live grant active or expiring by the horizon, and an ended one expired', () => {
    const repo = repoWith({
      ...grant('dev', 'logs-read', '2026-12-20T00:00:00Z'),
      ...grant('dev2', 'logs-read', '2026-12-08T00:00:00Z'), // exactly 14 days: still "expiring"
      ...grant('mgr', 'logs-read', '2026-11-01T00:00:00Z'), // expires passed, status still active
      ...grant('boss', 'logs-read', '2026-11-30T00:00:00Z', { status: 'expired' }),
    });
    const states = Object.fromEntries(build(repo).cells.map((c) => [c.person, c.state]));
    expect(states).toEqual({ dev: 'active', dev2: 'expiring', mgr: 'expired', boss: 'expired' });
  });

  it('says whether the account holds each grant, and nothing when its system was not read', () => {
    const repo = repoWith({ ...grant('dev', 'prod-db', '2026-11-27T00:00:00Z'), ...grant('dev2', 'prod-db', '2026-11-27T00:00:00Z'), ...grant('mgr', 'prod-db', '2026-11-02T00:00:00Z') });
    const read = inventory({
      dev: { person: 'dev', holds: [{ target: RDS, resources: ['prod-db'], status: 'granted' }] },
      dev2: { person: 'dev2' },
      mgr: { person: 'mgr', holds: [{ target: RDS, resources: ['prod-db'], status: 'expired-grant', grants: ['access/grants/mgr/prod-db.yaml'] }] },
    });
    const inIam = (report: ReturnType<typeof build>) => Object.fromEntries(report.cells.map((c) => [c.person, c.inIam]));
    expect(inIam(build(repo, [read]))).toEqual({ dev: true, dev2: false, mgr: true });
    expect(inIam(build(repo, []))).toEqual({ dev: undefined, dev2: undefined, mgr: undefined });
  });

  it('shows access no grant names as unmanaged on the resource that hands it out, and lists every unexplained attachment', () => {
    const repo = repoWith({});
    const report = build(repo, [
      inventory({
        dev: { person: 'dev', holds: [{ kind: 'group', target: 'log-readers', resources: ['logs-read'], status: 'unmanaged' }] },
        'ci-bot': { holds: [{ target: RDS, resources: ['prod-db'], status: 'unmanaged' }] },
        mgr: { person: 'mgr', holds: [{ target: 'arn:aws:iam::aws:policy/ReadOnlyAccess', status: 'unmanaged' }] },
      }),
    ]);
    expect(report.cells).toEqual([{ person: 'dev', resource: 'logs-read', state: 'unmanaged', inIam: true }]);
    expect(report.unexplained.map((u) => [u.iamUser, u.target, u.status, u.resources])).toEqual([
      ['dev', 'log-readers', 'unmanaged', ['logs-read']],
      ['ci-bot', RDS, 'unmanaged', ['prod-db']],
      ['mgr', 'arn:aws:iam::aws:policy/ReadOnlyAccess', 'unmanaged', []],
    ]);
    expect(report.people.map((p) => p.login)).toEqual(['dev']);
  });

  it('lists people with something to show by name, counts the others, and orders resources most sensitive first', () => {
    const repo = repoWith({ ...grant('mgr', 'logs-read', '2026-12-20T00:00:00Z'), ...grant('dev', 'prod-db', '2026-11-27T00:00:00Z') });
    const report = build(repo);
    expect(report.people).toEqual([
      { login: 'dev', name: 'Developer', manager: 'mgr', iamUser: 'dev' },
      { login: 'mgr', name: 'Manager', manager: 'boss', iamUser: 'mgr' },
    ]);
    expect(report.peopleWithoutAccess).toBe(4);
    // prod-db inherits "high" from the prod-* default; logs-read is "low".
    expect(report.resources.map((r) => [r.id, r.sensitivity, r.rank])).toEqual([
      ['prod-db', 'high', 3],
      ['logs-read', 'low', 1],
    ]);
    expect(report.levels.map((l) => l.name)).toEqual(['none', 'low', 'medium', 'high', 'critical']);
  });
});

describe('buildAccessReport: ending soon', () => {
  it('lists access and approvals ending within the horizon, soonest first, with whole days left', () => {
    const repo = repoWith({
      ...grant('dev', 'logs-read', '2026-11-27T12:00:00Z', { approvalExpires: '2027-03-01T00:00:00Z' }),
      ...grant('dev2', 'logs-read', '2026-11-25T00:00:00Z', { approvalExpires: '2026-11-25T00:00:00Z' }),
      ...grant('mgr', 'logs-read', '2026-11-10T00:00:00Z', { status: 'expired', approvalExpires: '2026-12-01T00:00:00Z' }),
      ...grant('boss', 'logs-read', '2026-12-09T00:00:00Z'), // one day past the horizon
    });
    expect(build(repo).expiring).toEqual([
      { what: 'access', person: 'dev2', resource: 'logs-read', grant: 'access/grants/dev2/logs-read.yaml', at: '2026-11-25T00:00:00Z', inDays: 1, renewable: false, renewal: 'grantops request --resource logs-read --for-duration 30d --reason "..."' },
      { what: 'approval', person: 'dev2', resource: 'logs-read', grant: 'access/grants/dev2/logs-read.yaml', at: '2026-11-25T00:00:00Z', inDays: 1 },
      { what: 'access', person: 'dev', resource: 'logs-read', grant: 'access/grants/dev/logs-read.yaml', at: '2026-11-27T12:00:00Z', inDays: 3, renewable: true, renewal: 'grantops request --resource logs-read --for-duration 30d' },
      { what: 'approval', person: 'mgr', resource: 'logs-read', grant: 'access/grants/mgr/logs-read.yaml', at: '2026-12-01T00:00:00Z', inDays: 7 },
    ]);
  });
});

describe('buildAccessReport: renewal lines', () => {
  it('sizes each renewal line to its resource\'s maxAccess, or to the approval when that ends sooner', () => {
    const repo = repoWith({
      ...grant('dev', 'prod-db', '2026-11-27T00:00:00Z', { approvalExpires: '2027-01-01T00:00:00Z' }),
      ...grant('dev2', 'logs-read', '2026-11-27T00:00:00Z', { approvalExpires: '2026-12-07T00:00:00Z' }),
    });
    const lines = Object.fromEntries(build(repo).expiring.filter((e) => e.what === 'access').map((e) => [e.grant, e.renewal]));
    expect(lines).toEqual({
      'access/grants/dev/prod-db.yaml': 'grantops request --resource prod-db --for-duration 1w',
      'access/grants/dev2/logs-read.yaml': 'grantops request --resource logs-read --until 2026-12-07T00:00:00Z',
    });
  });
});

describe('buildAccessReport: risk per person', () => {
  it('takes each user\'s principal score and the finding categories of its own, inline and group policies', () => {
    const repo = repoWith({});
    const report = build(repo, [
      inventory(
        {
          dev: { person: 'dev', risk: 100, reach: 'role/admin (100): user/dev → role/admin (sts:AssumeRole)', holds: [{ kind: 'group', target: 'deployers' }, { kind: 'inline', target: 'grantops-tickets' }] },
          'ci-bot': { risk: 90, holds: [{ target: 'arn:aws:iam::aws:policy/AdministratorAccess' }] },
        },
        {
          groups: [{ name: 'deployers', arn: 'arn:aws:iam::111122223333:group/deployers', members: ['dev'], policies: ['arn:aws:iam::aws:policy/Deploy'], risk: 37, resources: [] }],
          policies: [
            { ref: 'arn:aws:iam::aws:policy/Deploy', name: 'Deploy', kind: 'managed', attachedTo: ['group/deployers'], risk: 37, categories: ['service-wildcard', 'infrastructure-modification'] },
            { ref: 'inline:user/dev/grantops-tickets', name: 'grantops-tickets', kind: 'inline', attachedTo: ['user/dev'], risk: 37, categories: ['service-wildcard'] },
            { ref: 'arn:aws:iam::aws:policy/AdministratorAccess', name: 'AdministratorAccess', kind: 'managed', attachedTo: ['user/ci-bot'], risk: 100, categories: ['privilege-escalation'] },
          ],
        },
      ),
    ]);
    expect(report.risk).toEqual([
      { person: 'dev', name: 'Developer', system: 'aws-prod', iamUser: 'dev', score: 100, reach: 'role/admin (100): user/dev → role/admin (sts:AssumeRole)', categories: ['service-wildcard', 'infrastructure-modification'], holds: 2 },
      { system: 'aws-prod', iamUser: 'ci-bot', score: 90, categories: ['privilege-escalation'], holds: 1 },
    ]);
  });
});

describe('buildAccessReport: recent activity', () => {
  const event = (type: AuditEvent['type'], at: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({ type, at, details: type, ...extra });
  const audit = (grants: GrantTimeline[]): AuditReport => ({
    dir: 'access',
    generatedAt: NOW.toISOString(),
    coverage: { head: 'abc', commits: 3, notesMissing: 'no decision notes' },
    grants,
    summary: { activeGrants: [], unrecordedChanges: [], provisionedAfterExpiry: [], recordProblems: [] },
  });
  const timeline = (events: AuditEvent[]): GrantTimeline => ({ file: 'access/grants/dev/prod-db.yaml', user: 'dev', resource: 'prod-db', current: null, provisioned: false, events });

  it('says why there is no history when there is none', () => {
    expect(build(repoWith({})).activity).toEqual({ available: false, why: 'not a git clone' });
  });

  it('keeps the window\'s approvals, revocations and provisioning, newest first, and drops the rest', () => {
    const report = build(repoWith({}), [], {
      sinceDays: 30,
      audit: audit([
        timeline([
          event('requested', '2026-09-01T00:00:00Z'), // before the window
          event('approved', '2026-11-01T00:00:00Z', { by: 'mgr', role: 'manager', pr: 7 }),
          event('merged', '2026-11-01T01:00:00Z', { commit: 'c0ffee1234' }),
          event('present', '2026-11-02T00:00:00Z'),
          event('expired', '2026-11-20T00:00:00Z'),
          event('deleted', '2026-11-25T00:00:00Z'), // after the report's time
        ]),
      ]),
    });
    expect(report.activity).toMatchObject({ available: true, sinceDays: 30, truncated: 0, notesMissing: 'no decision notes' });
    const events = report.activity.available ? report.activity.events : [];
    expect(events.map((e) => [e.kind, e.type])).toEqual([
      ['revocation', 'expired'],
      ['approval', 'merged'],
      ['approval', 'approved'],
    ]);
    expect(events[2]).toMatchObject({ person: 'dev', resource: 'prod-db', by: 'mgr', role: 'manager', pr: 7 });
  });

  it('lists at most the limit and counts the older ones', () => {
    const many = Array.from({ length: ACTIVITY_LIMIT + 5 }, (_, i) => event('approved', new Date(NOW.getTime() - (i + 1) * 60_000).toISOString()));
    const report = build(repoWith({}), [], { sinceDays: 30, audit: audit([timeline(many)]) });
    expect(report.activity).toMatchObject({ available: true, truncated: 5 });
    expect(report.activity.available && report.activity.events.length).toBe(ACTIVITY_LIMIT);
  });
});
