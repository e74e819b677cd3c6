import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileIamProvider } from '../../../src/adapters/file/file-iam-provider.js';
import { createIamProvider, parseStateOptions } from '../../../src/adapters/create-iam-provider.js';
import type { AccountSnapshot } from '../../../src/core/iam/account-snapshot.js';
import type { IamOperation } from '../../../src/core/plan/iam-operation.js';
import type { IamSystemRef } from '../../../src/ports.js';
import { planAccess } from '../../../src/usecases/plan.js';
import { account, awsPolicy } from '../../helpers/iam-account.js';
import { grantYaml, ORG as TEST_ORG, PEOPLE, snapshot } from '../../helpers/repo.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/cloudsplaining/example-authz-details.json', import.meta.url));
const SYSTEM: IamSystemRef = { id: 'aws-prod', config: { type: 'aws', accountId: '111122223333' } };
const RDS = awsPolicy('AmazonRDSFullAccess');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'grantops-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeState(snap: unknown, name = 'state.json'): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(snap, null, 2));
  return path;
}

const readState = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as AccountSnapshot;
const provider = (path: string) => new FileIamProvider({ states: {}, defaultState: path, cwd: dir });

function op(action: IamOperation['action'], principal: string, target: string, extra: Partial<IamOperation> = {}): IamOperation {
  return { action, system: 'aws-prod', principal, target, resource: 'r', grant: `access/grants/${principal}/r.yaml`, reason: 'test', ...extra };
}

describe('file provider', () => {
  it("loads cloudsplaining's get-account-authorization-details example", async () => {
    const p = provider(FIXTURE);
    const system = { ...SYSTEM, config: { ...SYSTEM.config, accountId: '012345678901' } };
    const all = await p.readSnapshot(system);
    expect([all.UserDetailList.length, all.GroupDetailList.length, all.RoleDetailList.length, all.Policies.length]).toEqual([3, 2, 3, 32]);
    expect(all.UserDetailList.map((u) => u.UserName)).toEqual(['obama', 'userwithlotsofpermissions', 'biden']);
    expect(all.UserDetailList[1]!.UserPolicyList![0]!.PolicyDocument.Statement).toEqual([expect.objectContaining({ Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:GetObject'] })]);
    expect(all.SummaryMap).toEqual({ AttachedPoliciesPerUserQuota: 10, GroupsPerUserQuota: 10, UserPolicySizeQuota: 2048 });

    const local = await p.readSnapshot(system, { include: ['User', 'LocalManagedPolicy'] });
    expect(local.GroupDetailList).toEqual([]);
    expect(local.RoleDetailList).toEqual([]);
    expect(local.Policies.length).toBeGreaterThan(0);
    expect(local.Policies.every((pol) => pol.Arn.includes(':iam::012345678901:'))).toBe(true);
  });

  it('plans against the cloudsplaining example: an exclusive group sheds the members nobody granted', async () => {
    const org = 'org: T\nowners: [owner]\nsensitivity:\n  low: { approvers: [], maxAccess: 30d, approvalTtl: 180d }\nsystems:\n  acct: { type: aws, accountId: "012345678901" }\n';
    const people = '- { login: owner, name: O, aws: { user: obama } }\n- { login: biden, name: B, aws: { user: biden } }\n';
    const files = {
      'access/grantops.yaml': org,
      'access/people.yaml': people,
      'access/resources/aws-prod/prod-db.yaml': null,
      'access/resources/aws-prod/logs-read.yaml': null,
      'access/resources/acct/admin.yaml': 'id: admin\nsystem: acct\nsensitivity: low\nowners: [owner]\nexclusive: true\ngrants: { group: admin }\n',
      'access/grants/owner/admin.yaml': grantYaml({ user: 'owner', resource: 'admin', reason: 'x', expires: '2026-11-30T00:00:00Z', approvalExpires: '2027-01-01T00:00:00Z', status: 'active' }),
    };
    const report = await planAccess({ root: dir, dir: 'access', history: null, provider: createIamProvider({ provider: 'file', state: [FIXTURE], cwd: dir }), now: new Date('2026-11-23T12:00:00Z'), snapshot: snapshot(files) });
    expect(report.diagnostics).toEqual([]);
    // obama holds admin through a live grant; biden has a grant-less person entry and is not in admin.
    expect(report.plan.operations.map((o) => `${o.action} ${o.principal} ${o.target}${o.drift ? ' drift' : ''}`)).toEqual(['remove-user-from-group userwithlotsofpermissions admin drift']);
  });

  it('applies operations and writes the state once, whole, with no temporary file left', async () => {
    const path = writeState(account({ dev: { policies: [awsPolicy('ReadOnlyAccess')], groups: ['old'] }, dev2: {} }, { groups: ['old', 'log-readers'] }));
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'support:*', Resource: '*' }] };
    const results = await provider(path).applyOperations(SYSTEM, [
      op('attach-user-policy', 'dev', RDS),
      op('detach-user-policy', 'dev', awsPolicy('ReadOnlyAccess')),
      op('remove-user-from-group', 'dev', 'old'),
      op('add-user-to-group', 'dev2', 'log-readers'),
      op('put-user-policy', 'dev2', 'grantops-tickets', { document: doc }),
      op('add-user-to-group', 'dev2', 'no-such-group'),
      op('attach-user-policy', 'ghost', RDS),
    ]);
    expect(results.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'failed', 'failed']);
    expect(results[5]!.error).toBe('add-user-to-group dev2 no-such-group (access/grants/dev2/r.yaml): IAM group "no-such-group" does not exist');
    expect(results[6]!.error).toMatch(/IAM user "ghost" does not exist/);

    const after = readState(path);
    expect(after.UserDetailList.find((u) => u.UserName === 'dev')).toMatchObject({ AttachedManagedPolicies: [{ PolicyArn: RDS, PolicyName: 'AmazonRDSFullAccess' }], GroupList: [] });
    expect(after.UserDetailList.find((u) => u.UserName === 'dev2')).toMatchObject({ GroupList: ['log-readers'], UserPolicyList: [{ PolicyName: 'grantops-tickets', PolicyDocument: doc }] });
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('leaves the file untouched when nothing succeeded', async () => {
    const path = writeState(account({ dev: {} }));
    const before = readFileSync(path, 'utf8');
    const results = await provider(path).applyOperations(SYSTEM, [op('attach-user-policy', 'ghost', RDS)]);
    expect(results[0]!.status).toBe('failed');
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  it('serialises concurrent batches on one file, and a reader never sees a half-written state', async () => {
    const users = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`u${i}`, {}]));
    const path = writeState(account(users));
    const p = provider(path);
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        JSON.parse(readFileSync(path, 'utf8'));
        reads++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    await Promise.all(Array.from({ length: 30 }, (_, i) => p.applyOperations(SYSTEM, [op('attach-user-policy', `u${i}`, RDS)])));
    writing = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    const after = readState(path);
    expect(after.UserDetailList.every((u) => u.AttachedManagedPolicies?.length === 1)).toBe(true);
  });

  it('decodes URL-encoded policy documents, as the IAM API returns them', async () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::a b/*' }] };
    const path = writeState({ UserDetailList: [{ UserName: 'dev', Arn: 'arn:aws:iam::111122223333:user/dev', UserPolicyList: [{ PolicyName: 'p', PolicyDocument: encodeURIComponent(JSON.stringify(doc)) }] }] });
    const snap = await provider(path).readSnapshot(SYSTEM);
    expect(snap.UserDetailList[0]!.UserPolicyList).toEqual([{ PolicyName: 'p', PolicyDocument: doc }]);
    expect(snap.GroupDetailList).toEqual([]);
  });

  it('keeps a SummaryMap the state carries', async () => {
    const path = writeState(account({ dev: {} }, { summary: { AttachedPoliciesPerUserQuota: 20 } }));
    expect(await provider(path).readAccountSummary(SYSTEM)).toEqual({ AttachedPoliciesPerUserQuota: 20, GroupsPerUserQuota: 10, UserPolicySizeQuota: 2048 });
  });

  it.each([
    ['not JSON', '{ nope', /not JSON/],
    ['a list', '[]', /expected an object/],
    ['another JSON object', '{"Users": []}', /is this get-account-authorization-details output/],
    ['a user without a name', '{"UserDetailList": [{"Arn": "x"}]}', /has no UserName/],
  ])('refuses %s rather than read it as an empty account', async (_name, text, message) => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, text);
    await expect(provider(path).readSnapshot(SYSTEM)).rejects.toThrow(message);
  });

  it('says which file is missing', async () => {
    await expect(provider(join(dir, 'nope.json')).readSnapshot(SYSTEM)).rejects.toThrow(/state file .*nope\.json does not exist/);
  });

  it('maps --state values to systems', () => {
    expect(parseStateOptions(['a.json'])).toEqual({ states: {}, defaultState: 'a.json' });
    expect(parseStateOptions(['aws-prod=prod.json', 'aws-dev=dev.json'])).toEqual({ states: { 'aws-prod': 'prod.json', 'aws-dev': 'dev.json' }, defaultState: undefined });
    const p = createIamProvider({ provider: 'file', state: ['aws-prod=prod.json'], cwd: dir }) as FileIamProvider;
    expect(p.statePath(SYSTEM)).toBe(join(dir, 'prod.json'));
    expect(() => p.statePath({ ...SYSTEM, id: 'aws-dev' })).toThrow(/no state file for system "aws-dev"/);
    expect((createIamProvider({ provider: 'file', cwd: dir }) as FileIamProvider).statePath(SYSTEM)).toBe(join(dir, 'examples/aws-state.json'));
    expect(() => createIamProvider({ provider: 'aws', state: ['x.json'], cwd: dir })).toThrow(/--state is for the file provider/);
  });
});

describe('file provider: each system of an organisation has its own state (decision 0054)', () => {
  const ORG = [
    'systems:',
    '  sso: { type: aws-identity-center }',
    '  aws-prod: { type: aws, accountId: "111122223333" }',
    '  aws-staging: { type: aws, accountId: "444455556666" }',
    '',
  ].join('\n');
  const ref = (id: string): IamSystemRef => ({ id, config: { type: 'aws', accountId: '111122223333' } });
  const at = (state: string[], systems: string[] = []) => createIamProvider({ provider: 'file', state, cwd: dir, dir: 'access', systems }) as FileIamProvider;
  beforeEach(() => {
    mkdirSync(join(dir, 'access'));
    writeFileSync(join(dir, 'access/grantops.yaml'), ORG);
  });

  it('gives --state FILE to the first aws system, and every other system its own file by convention', () => {
    const p = at(['mine.json']);
    expect(p.statePath(ref('aws-prod'))).toBe(join(dir, 'mine.json'));
    expect(p.statePath(ref('aws-staging'))).toBe(join(dir, 'examples/state/aws-staging.json'));
    expect(p.statePath(ref('sso'))).toBe(join(dir, 'examples/state/sso.json'));
    // Without --state, the first aws system reads the example account.
    expect(at([]).statePath(ref('aws-prod'))).toBe(join(dir, 'examples/aws-state.json'));
    expect(at(['sso=i.json']).statePath(ref('aws-prod'))).toBe(join(dir, 'examples/aws-state.json'));
    expect(at(['sso=i.json']).statePath(ref('sso'))).toBe(join(dir, 'i.json'));
  });

  it('gives --state FILE to the system --system narrows the command to (one job per system)', () => {
    expect(at(['s.json'], ['aws-staging']).statePath(ref('aws-staging'))).toBe(join(dir, 's.json'));
    expect(at(['i.json'], ['sso']).statePath(ref('sso'))).toBe(join(dir, 'i.json'));
    // Without --state a system's file does not depend on --system: the instance is never given the account's.
    expect(at([], ['sso']).statePath(ref('sso'))).toBe(join(dir, 'examples/state/sso.json'));
    expect(at([], ['aws-staging']).statePath(ref('aws-staging'))).toBe(join(dir, 'examples/state/aws-staging.json'));
  });

  it('never lets a system id of grantops.yaml lead the convention out of examples/state (a rules change aiming apply at another file)', async () => {
    writeFileSync(join(dir, 'access/grantops.yaml'), `${ORG}  "../../package": { type: aws-identity-center }\n  "..": { type: aws-identity-center }\n`);
    writeFileSync(join(dir, 'package.json'), '{}');
    for (const id of ['../../package', '..']) {
      expect(() => at([]).statePath(ref(id))).toThrow(`system "${id}" cannot name a state file in examples/state: give one with --state SYSTEM=FILE`);
      await expect(at([]).readSnapshot(ref(id))).rejects.toThrow(/cannot name a state file/);
    }
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe('{}');
  });

  it('refuses a system whose state does not exist, naming the file and the flag, rather than read it as an empty account', async () => {
    cpSync(FIXTURE, join(dir, 'prod.json'));
    const p = at(['prod.json']);
    await expect(p.readSnapshot(ref('aws-staging'))).rejects.toThrow('no state for system "aws-staging": examples/state/aws-staging.json does not exist (give one with --state aws-staging=FILE)');
    await expect(p.readAccountSummary(ref('aws-staging'))).rejects.toThrow(/no state for system "aws-staging"/);
    // A state that was named and is missing is reported as that file.
    await expect(at(['aws-staging=gone.json']).readSnapshot(ref('aws-staging'))).rejects.toThrow(/state file .*gone\.json does not exist/);
  });

  it('plans the systems that have a state and withholds the one that has none, at its line of grantops.yaml', async () => {
    const SSO = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
    writeFileSync(join(dir, 'access/grantops.yaml'), `${TEST_ORG}  aws-staging: { type: aws, accountId: "444455556666" }\n  sso: { type: aws-identity-center, instanceArn: "${SSO}", identityStoreId: d-1234567890 }\n`);
    writeFileSync(join(dir, 'access/people.yaml'), PEOPLE);
    mkdirSync(join(dir, 'examples/state'), { recursive: true });
    writeFileSync(join(dir, 'examples/state/sso.json'), JSON.stringify({ Instance: { InstanceArn: SSO, IdentityStoreId: 'd-1234567890' } }));
    writeFileSync(join(dir, 'prod.json'), JSON.stringify(account({ dev: {} })));
    const report = await planAccess({ root: dir, dir: 'access', provider: at(['prod.json']), now: new Date('2026-11-24T00:00:00Z'), history: null });
    expect(report.ok).toBe(false);
    expect(report.plan.withheldSystems).toEqual(['aws-staging']);
    const problem = report.diagnostics.find((d) => d.rule === 'plan/system-unreachable')!;
    expect(problem).toMatchObject({ file: 'access/grantops.yaml', line: 13, column: 16, severity: 'error' });
    expect(problem.message).toMatch(/system "aws-staging" could not be read, so nothing is applied to it: no state for system "aws-staging"/);
    expect(report.plan.systems).toEqual(['aws-prod', 'aws-staging', 'sso']);
  });
});
