import type { AccountSnapshot } from '../../src/core/iam/account-snapshot.js';
import type { IamOperation, OperationResult } from '../../src/core/plan/iam-operation.js';
import type { NotificationEvent } from '../../src/core/notify/notification-event.js';
import type { GrantHistory, IamProvider, IamSystemRef, Notifier } from '../../src/ports.js';
import { PEOPLE } from '../helpers/repo.js';
import { renderApplyText } from '../../src/render/plan-text.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { applyAccess } from '../../src/usecases/apply.js';
import { planAndNotify } from '../../src/usecases/plan.js';
import { notificationKey } from '../../src/core/notify/notification-key.js';
import { account, awsPolicy } from '../helpers/iam-account.js';
import { grantYaml, snapshot } from '../helpers/repo.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const RDS = awsPolicy('AmazonRDSFullAccess');

/** A provider over a fixed snapshot that records each batch it is asked to run and fails whom it is told to. */
class FakeProvider implements IamProvider {
  readonly kind = 'fake';
  batches: IamOperation[][] = [];
  reads = 0;
  constructor(private readonly snap: AccountSnapshot, private readonly failFor: string[] = []) {}
  async readSnapshot(): Promise<AccountSnapshot> {
    this.reads++;
    return this.snap;
  }
  async readAccountSummary(): Promise<Record<string, number>> {
    return {};
  }
  async applyOperations(_system: IamSystemRef, operations: readonly IamOperation[]): Promise<OperationResult[]> {
    this.batches.push([...operations]);
    return operations.map((operation) => (this.failFor.includes(operation.principal) ? { operation, status: 'failed', error: `${operation.principal}: AccessDenied` } : { operation, status: 'done' }));
  }
}

const grant = (user: string, resource: string, status = 'active') => ({
  [`access/grants/${user}/${resource}.yaml`]: grantYaml({ user, resource, reason: 'work', expires: '2026-11-27T00:00:00Z', approvalExpires: '2026-12-20T00:00:00Z', status }),
});
const manualBilling = { 'access/resources/aws-prod/billing.yaml': 'id: billing\nsystem: aws-prod\nsensitivity: low\nowners: [res-owner]\nprovision: manual\ngrants: { group: billing }\n' };

/** A branch history that once held `paths` and whose people.yaml versions (newest first) are `people`. */
function pastOf(paths: string[], people: string[] = []): GrantHistory {
  const ids = people.map((_, i) => `people-${i}`);
  return {
    readGrantHistory: async () => ({ grantPaths: paths, peopleVersions: ids, notes: [], shallow: false }),
    readBlobs: async (wanted) => new Map(wanted.map((id) => [id, Buffer.from(people[ids.indexOf(id)] ?? '')])),
  };
}

function run(provider: FakeProvider, files: Record<string, string | null>, history: GrantHistory | null = null) {
  return applyAccess({ root: '/nonexistent', dir: 'access', provider, history, now: NOW, snapshot: snapshot(files) });
}
const LOGS = 'access/grants/dev2/logs-read.yaml';
const ops = (report: { results: OperationResult[] }) => report.results.map((r) => `${r.operation.action} ${r.operation.principal}`);

describe('applyAccess', () => {
  it('runs every removal before any addition, reads the account once, and never runs manual operations', async () => {
    const provider = new FakeProvider(account({ dev: { policies: [RDS] }, dev2: {}, mgr: {} }, { groups: ['log-readers', 'billing'] }));
    const report = await run(provider, { ...grant('dev', 'prod-db', 'expired'), ...grant('dev2', 'prod-db'), ...grant('mgr', 'logs-read'), ...manualBilling, ...grant('mgr', 'billing') });
    expect(report.ok).toBe(true);
    expect(provider.reads).toBe(1);
    expect(provider.batches.map((b) => b.map((op) => `${op.action} ${op.principal}`))).toEqual([
      ['detach-user-policy dev'],
      ['attach-user-policy dev2', 'add-user-to-group mgr'],
    ]);
    expect(report.plan.manual.map((op) => `${op.action} ${op.principal} ${op.target}`)).toEqual(['add-user-to-group mgr billing']);
    expect(renderPlanMarkdown(report.plan, report.results)).toMatch(/\| aws-prod \| attach-user-policy \| `dev2` \| `arn:aws:iam::aws:policy\/AmazonRDSFullAccess` \| `access\/grants\/dev2\/prod-db.yaml` \| granted until 2026-11-27T00:00:00Z \| done \|/);
  });

  it('reports a failed operation and is not ok', async () => {
    const provider = new FakeProvider(account({ dev: {}, dev2: {} }), ['dev2']);
    const report = await run(provider, { ...grant('dev', 'prod-db'), ...grant('dev2', 'prod-db') });
    expect(report.ok).toBe(false);
    expect(report.results.map((r) => r.status)).toEqual(['done', 'failed']);
    expect(renderApplyText(report)).toMatch(/FAILED aws-prod attach-user-policy dev2[\s\S]*dev2: AccessDenied[\s\S]*Applied 1 of 2 operations; 1 failed\./);
  });

  it('withholds only the grant whose plan has an error: the others are applied, and the run is not ok', async () => {
    const provider = new FakeProvider(account({ dev: {} }));
    const report = await run(provider, { ...grant('dev', 'prod-db'), ...grant('dev2', 'prod-db') });
    expect(report.ok).toBe(false);
    expect(report.diagnostics).toEqual([expect.objectContaining({ rule: 'plan/unknown-iam-user', file: 'access/grants/dev2/prod-db.yaml' })]);
    expect(report.withheld).toEqual([expect.objectContaining({ file: 'access/grants/dev2/prod-db.yaml', problems: [expect.objectContaining({ rule: 'plan/unknown-iam-user' })] })]);
    expect(ops(report)).toEqual(['attach-user-policy dev']);
  });

  it('withholds a grant file that does not validate, keeps the access it gave, and still removes what a deleted grant gave', async () => {
    const provider = new FakeProvider(account({ dev: { policies: [RDS] }, dev2: { groups: ['log-readers'] }, mgr: {} }, { groups: ['log-readers'] }));
    const broken = { 'access/grants/dev/prod-db.yaml': 'user: dev\nresource: prod-db\n' };
    const report = await run(provider, { ...broken, ...grant('mgr', 'logs-read') }, pastOf(['access/grants/dev/prod-db.yaml', LOGS]));
    expect(report.withheld.map((w) => w.file)).toEqual(['access/grants/dev/prod-db.yaml']);
    expect(report.withheld[0]!.problems[0]).toMatchObject({ file: 'access/grants/dev/prod-db.yaml', line: 1, column: 1, rule: expect.stringMatching(/^schema\//) });
    // dev keeps prod-db while the file is broken; dev2's deleted grant is revoked; mgr's new grant is added.
    expect(ops(report)).toEqual(['remove-user-from-group dev2', 'add-user-to-group mgr']);
    expect(report.ok).toBe(false);
  });

  it("removes the access of a person who left people.yaml while their grant file stayed (their IAM user from history)", async () => {
    const provider = new FakeProvider(account({ dev: {}, dev2: { groups: ['log-readers'] } }, { groups: ['log-readers'] }));
    const withoutDev2 = PEOPLE.split('\n').filter((line) => !line.includes('login: dev2,')).join('\n');
    const report = await run(provider, { 'access/people.yaml': withoutDev2, ...grant('dev2', 'logs-read'), ...grant('dev', 'prod-db') }, pastOf([LOGS], [withoutDev2, PEOPLE]));
    expect(report.withheld.map((w) => [w.file, w.problems.map((d) => d.rule)])).toEqual([[LOGS, ['ref/unknown-person']]]);
    expect(ops(report)).toEqual(['remove-user-from-group dev2', 'attach-user-policy dev']);
  });

  it('withholds the additions of a resource whose file has an error, and every addition when the rules have one; removals go ahead', async () => {
    const snap = () => account({ dev: {}, dev2: { groups: ['log-readers'] }, mgr: {} }, { groups: ['log-readers'] });
    const badResource = { 'access/resources/aws-prod/prod-db.yaml': 'id: prod-db\nsystem: aws-prod\nowners: [nobody]\ngrants: { managedPolicy: "arn:aws:iam::aws:policy/AmazonRDSFullAccess" }\n' };
    const files = { ...grant('dev', 'prod-db'), ...grant('mgr', 'logs-read') };
    const byResource = await run(new FakeProvider(snap()), { ...files, ...badResource }, pastOf([LOGS]));
    expect(ops(byResource)).toEqual(['remove-user-from-group dev2', 'add-user-to-group mgr']);
    expect(byResource.withheld.map((w) => [w.file, w.problems.map((d) => d.rule)])).toEqual([['access/grants/dev/prod-db.yaml', ['ref/unknown-person']]]);

    const badPeople = { 'access/people.yaml': `${PEOPLE}- { login: temp, name: Temp, manager: nobody }\n` };
    const byRules = await run(new FakeProvider(snap()), { ...files, ...badPeople }, pastOf([LOGS]));
    expect(ops(byRules)).toEqual(['remove-user-from-group dev2']);
    expect(byRules.withheld.map((w) => w.file)).toEqual(['access/grants/dev/prod-db.yaml', 'access/grants/mgr/logs-read.yaml']);
  });

  it('applies nothing when people.yaml cannot be read: nobody could be told apart', async () => {
    const provider = new FakeProvider(account({ dev: {}, dev2: { groups: ['log-readers'] } }, { groups: ['log-readers'] }));
    const report = await run(provider, { 'access/people.yaml': '- { login: [\n', ...grant('dev', 'prod-db') }, pastOf([LOGS], [PEOPLE]));
    expect(report.ok).toBe(false);
    expect(provider.batches).toEqual([]);
  });
});

describe('applyAccess tells what it did', () => {
  const exclusiveLogs = { 'access/resources/aws-prod/logs-read.yaml': 'id: logs-read\nsystem: aws-prod\nsensitivity: low\nowners: [res-owner]\nexclusive: true\ngrants: { group: log-readers }\n' };

  it('access given, access given up, and drift: each once, after the work, to the people they concern', async () => {
    const told: NotificationEvent[] = [];
    const notifier: Notifier = { notify: async (events) => (told.push(...events), { deliveries: [] }) };
    const provider = new FakeProvider(account({ dev: {}, dev2: { groups: ['log-readers'] }, mgr: { policies: [RDS] } }, { groups: ['log-readers'] }));
    const report = await applyAccess({
      root: '/nonexistent', dir: 'access', provider, history: null, now: NOW, notifier, repository: 'acme/access', commit: 'c0ffee',
      snapshot: snapshot({ ...grant('dev', 'prod-db'), ...grant('mgr', 'prod-db', 'expired'), ...exclusiveLogs }),
    });
    expect(report.ok).toBe(true);
    expect(report.notifications).toEqual({ deliveries: [] });
    expect(told.map((e) => e.kind)).toEqual(['access-revoked', 'access-provisioned', 'drift-found']);
    expect(told[1]).toMatchObject({ grant: { user: 'dev', resource: 'prod-db', sensitivity: 'high', system: 'aws-prod' }, commit: 'c0ffee', recipients: [{ login: 'dev', as: 'grantee' }] });
    expect(told[0]).toMatchObject({ reason: 'given-up', grant: { user: 'mgr' } });
    expect(told[2]).toMatchObject({ system: 'aws-prod', command: 'apply', items: [{ resource: 'logs-read', description: expect.stringContaining('dev2 holds log-readers') }] });
    expect(told[2]!.recipients).toEqual([{ login: 'owner', as: 'org-owner' }, { login: 'res-owner', as: 'owner' }]);
  });

  it('a failed operation tells nothing of that grant', async () => {
    const told: NotificationEvent[] = [];
    const notifier: Notifier = { notify: async (events) => (told.push(...events), { deliveries: [] }) };
    const provider = new FakeProvider(account({ dev: {}, dev2: {} }), ['dev2']);
    await applyAccess({ root: '/nonexistent', dir: 'access', provider, history: null, now: NOW, notifier, snapshot: snapshot({ ...grant('dev', 'prod-db'), ...grant('dev2', 'prod-db') }) });
    expect(told.map((e) => (e.kind === 'access-provisioned' ? e.grant.user : e.kind))).toEqual(['dev']);
  });
});

describe('planAndNotify', () => {
  it('tells of drift only, changing nothing; the same drift has the same key on every run', async () => {
    const told: NotificationEvent[] = [];
    const notifier: Notifier = { notify: async (events) => (told.push(...events), { deliveries: [] }) };
    const provider = new FakeProvider(account({ dev: {}, dev2: { groups: ['log-readers'] } }, { groups: ['log-readers'] }));
    const files = { ...grant('dev', 'prod-db'), 'access/resources/aws-prod/logs-read.yaml': 'id: logs-read\nsystem: aws-prod\nsensitivity: low\nowners: [res-owner]\nexclusive: true\ngrants: { group: log-readers }\n' };
    await planAndNotify({ root: '/nonexistent', dir: 'access', provider, history: null, now: NOW, notifier, snapshot: snapshot(files), commit: 'a1' });
    await planAndNotify({ root: '/nonexistent', dir: 'access', provider, history: null, now: new Date('2026-11-24T12:00:00Z'), notifier, snapshot: snapshot(files), commit: 'b2' });
    expect(provider.batches).toEqual([]);
    expect(told.map((e) => e.kind)).toEqual(['drift-found', 'drift-found']);
    expect(notificationKey(told[0]!)).toBe(notificationKey(told[1]!));
  });
});
