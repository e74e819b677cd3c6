import { AddUserToGroupCommand, AttachUserPolicyCommand, CreateGroupCommand, CreatePolicyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { AwsIamProvider } from '../../../src/adapters/aws/aws-iam-provider.js';
import type { IamOperation } from '../../../src/core/plan/iam-operation.js';
import type { IamSystemRef } from '../../../src/ports.js';
import { applyAccess } from '../../../src/usecases/apply.js';
import { planAccess } from '../../../src/usecases/plan.js';
import { awsPolicy } from '../../helpers/iam-account.js';
import { findMotoServer, MOTO_CREDENTIALS as CREDENTIALS, startMoto, type Moto } from '../../helpers/moto.js';
import { motoProvider } from '../../helpers/moto-provider.js';
import { grantYaml, snapshot } from '../../helpers/repo.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const RDS = awsPolicy('AmazonRDSFullAccess');
const S3 = awsPolicy('AmazonS3ReadOnlyAccess');
const instant = { sleep: async () => undefined };

let moto: Moto;
let admin: IAMClient;

beforeAll(async () => {
  moto = await startMoto();
  admin = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: CREDENTIALS });
});
afterAll(async () => {
  admin?.destroy();
  await moto?.stop();
});
beforeEach(async () => moto.reset());

const system = (endpoint?: string): IamSystemRef => ({ id: 'aws-prod', config: { type: 'aws', accountId: '111122223333', ...(endpoint ? { endpoint } : {}) } });

/** A provider whose client goes to moto through AWS_ENDPOINT_URL_IAM, with its calls counted. */
const provider = (options: Parameters<typeof motoProvider>[1] = {}) => motoProvider(moto.endpoint, options);

async function seed(users: string[], groups: string[] = []) {
  for (const UserName of users) await admin.send(new CreateUserCommand({ UserName }));
  for (const GroupName of groups) await admin.send(new CreateGroupCommand({ GroupName }));
}

function op(action: IamOperation['action'], principal: string, target: string, extra: Partial<IamOperation> = {}): IamOperation {
  return { action, system: 'aws-prod', principal, target, resource: 'r', grant: `access/grants/${principal}/r.yaml`, reason: 'test', ...extra };
}

describe('aws provider against moto', () => {
  it('reads the account as a get-account-authorization-details snapshot, documents decoded, quotas included', async () => {
    await seed(['dev'], ['log-readers']);
    await admin.send(new AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: S3 }));
    await admin.send(new AddUserToGroupCommand({ UserName: 'dev', GroupName: 'log-readers' }));
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::a b/*' }] };
    await admin.send(new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'handmade', PolicyDocument: JSON.stringify(doc) }));
    await admin.send(new CreatePolicyCommand({ PolicyName: 'team-read', PolicyDocument: JSON.stringify(doc) }));

    const snap = await provider().provider.readSnapshot(system(), { include: ['User', 'Group', 'LocalManagedPolicy'] });
    expect(snap.UserDetailList).toEqual([
      expect.objectContaining({
        UserName: 'dev',
        Arn: 'arn:aws:iam::111122223333:user/dev',
        GroupList: ['log-readers'],
        AttachedManagedPolicies: [{ PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: S3 }],
        UserPolicyList: [{ PolicyName: 'handmade', PolicyDocument: doc }],
      }),
    ]);
    expect(snap.GroupDetailList.map((g) => g.GroupName)).toEqual(['log-readers']);
    expect(snap.Policies.map((p) => p.Arn)).toEqual(['arn:aws:iam::111122223333:policy/team-read']);
    expect(snap.Policies[0]!.PolicyVersionList[0]!.Document).toEqual(doc);
    expect(snap.SummaryMap).toMatchObject({ AttachedPoliciesPerUserQuota: 10, GroupsPerUserQuota: 10, UserPolicySizeQuota: 2048 });
  });

  it('carries out each of the six operations, and reports a failure naming the grant', async () => {
    await seed(['dev', 'gone'], ['log-readers']);
    await admin.send(new AttachUserPolicyCommand({ UserName: 'dev', PolicyArn: S3 }));
    await admin.send(new AddUserToGroupCommand({ UserName: 'dev', GroupName: 'log-readers' }));
    await admin.send(new PutUserPolicyCommand({ UserName: 'dev', PolicyName: 'grantops-old', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }] }) }));
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'rds:Describe*', Resource: '*' }] };
    const { provider: p } = provider();
    const results = await p.applyOperations(system(), [
      op('detach-user-policy', 'dev', S3),
      op('remove-user-from-group', 'dev', 'log-readers'),
      op('delete-user-policy', 'dev', 'grantops-old'),
      op('attach-user-policy', 'dev', RDS),
      op('put-user-policy', 'dev', 'grantops-db', { document: doc }),
      op('add-user-to-group', 'dev', 'log-readers'),
      op('attach-user-policy', 'nobody', RDS),
      // Already gone: a rerun after a partial apply must converge, not fail.
      op('detach-user-policy', 'gone', S3),
    ]);
    expect(results.map((r) => r.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'failed', 'done']);
    expect(results[6]!.error).toMatch(/attach-user-policy nobody .*AmazonRDSFullAccess \(access\/grants\/nobody\/r\.yaml\) failed in system "aws-prod": NoSuchEntity/);

    const snap = await p.readSnapshot(system(), { include: ['User'] });
    const dev = snap.UserDetailList.find((u) => u.UserName === 'dev')!;
    expect(dev.AttachedManagedPolicies).toEqual([{ PolicyName: 'AmazonRDSFullAccess', PolicyArn: RDS }]);
    expect(dev.GroupList).toEqual(['log-readers']);
    expect(dev.UserPolicyList).toEqual([{ PolicyName: 'grantops-db', PolicyDocument: doc }]);
  });

  it('honours the system endpoint setting', async () => {
    await seed(['dev']);
    const p = new AwsIamProvider({ retry: instant, clientConfig: { credentials: CREDENTIALS } });
    const snap = await p.readSnapshot(system(moto.endpoint), { include: ['User'] });
    expect(snap.UserDetailList.map((u) => u.UserName)).toEqual(['dev']);
  });

  describe('plan and apply of an access repository', () => {
    const files = {
      'access/grants/dev/prod-db.yaml': grantYaml({ user: 'dev', resource: 'prod-db', reason: 'debug', expires: '2026-11-28T00:00:00Z', approvalExpires: '2026-12-20T00:00:00Z', status: 'active' }),
      'access/grants/dev2/prod-db.yaml': grantYaml({ user: 'dev2', resource: 'prod-db', reason: 'old', expires: '2026-11-20T00:00:00Z', approvalExpires: '2026-12-20T00:00:00Z', status: 'expired' }),
      'access/grants/mgr/logs-read.yaml': grantYaml({ user: 'mgr', resource: 'logs-read', reason: 'logs', expires: '2026-12-01T00:00:00Z', approvalExpires: '2027-01-20T00:00:00Z', status: 'active' }),
      'access/grants/dev2/logs-read.yaml': grantYaml({ user: 'dev2', resource: 'logs-read', reason: 'logs', expires: '2026-12-01T00:00:00Z', approvalExpires: '2027-01-20T00:00:00Z', status: 'active' }),
    };
    const users = ['owner', 'boss', 'mgr', 'dev', 'dev2', 'res-owner'];

    async function seedAccount() {
      await seed(users, ['log-readers']);
      await admin.send(new AttachUserPolicyCommand({ UserName: 'dev2', PolicyArn: RDS }));
      // res-owner holds the policy by other means: not grantops's to take.
      await admin.send(new AttachUserPolicyCommand({ UserName: 'res-owner', PolicyArn: RDS }));
    }

    it('applies the plan, then a second run plans nothing and makes no mutating call', async () => {
      await seedAccount();
      const first = provider();
      const options = { root: '/nonexistent', dir: 'access', provider: first.provider, history: null, now: NOW, snapshot: snapshot(files) };
      const applied = await applyAccess(options);
      expect(applied.ok).toBe(true);
      expect(applied.results.map((r) => `${r.status} ${r.operation.action} ${r.operation.principal}`)).toEqual([
        'done detach-user-policy dev2',
        'done attach-user-policy dev',
        'done add-user-to-group dev2',
        'done add-user-to-group mgr',
      ]);
      expect(first.calls().mutating()).toBe(4);

      const second = provider();
      const again = await applyAccess({ ...options, provider: second.provider });
      expect(again).toMatchObject({ ok: true, results: [] });
      expect(second.calls().mutating()).toBe(0);
      // One snapshot per system per run: the authorization details and the summary.
      expect(Object.fromEntries(second.calls().byCommand)).toEqual({ GetAccountAuthorizationDetailsCommand: 1, GetAccountSummaryCommand: 1 });

      const plan = await planAccess({ ...options, provider: provider().provider });
      expect(plan.plan.operations).toEqual([]);
    });

    it('converges when 20% of calls are throttled', async () => {
      await seedAccount();
      const many: Record<string, string> = { ...files };
      // Enough operations that throttling certainly hits some of them.
      for (let i = 0; i < 20; i++) {
        await admin.send(new CreateUserCommand({ UserName: `extra${i}` }));
      }
      const extraPeople = Array.from({ length: 20 }, (_, i) => `- { login: extra${i}, name: Extra ${i}, manager: mgr, aws: { user: extra${i} } }`).join('\n');
      const people = `- { login: owner, name: Org Owner, roles: [executive], aws: { user: owner } }\n- { login: boss, name: Big Boss, manager: owner, aws: { user: boss } }\n- { login: mgr, name: Manager, manager: boss, aws: { user: mgr } }\n- { login: dev, name: Developer, manager: mgr, aws: { user: dev } }\n- { login: dev2, name: Developer Two, manager: mgr, aws: { user: dev2 } }\n- { login: res-owner, name: Resource Owner, manager: boss, aws: { user: res-owner } }\n${extraPeople}\n`;
      for (let i = 0; i < 20; i++) {
        many[`access/grants/extra${i}/logs-read.yaml`] = grantYaml({ user: `extra${i}`, resource: 'logs-read', reason: 'logs', expires: '2026-12-01T00:00:00Z', approvalExpires: '2027-01-20T00:00:00Z', status: 'active' });
      }
      // Standard mode: the adaptive rate limiter would pace this run in real seconds; convergence is the
      // retry loop's doing, and its backoff sleeps are instant here.
      const throttled = provider({ throttle: 0.2, seed: 42, env: { AWS_RETRY_MODE: 'standard' } });
      const options = { root: '/nonexistent', dir: 'access', history: null, now: NOW, snapshot: snapshot({ ...many, 'access/people.yaml': people }) };
      const applied = await applyAccess({ ...options, provider: throttled.provider });
      expect(applied.results.filter((r) => r.status === 'failed')).toEqual([]);
      expect(applied.results).toHaveLength(24);
      expect(throttled.throttled()).toBeGreaterThan(0);

      const check = await planAccess({ ...options, provider: provider().provider });
      expect(check.plan.operations).toEqual([]);
    });
  });
});

describe('moto helper', () => {
  it('fails, naming the problem, when the emulator named is not there', () => {
    expect(() => findMotoServer({ MOTO_SERVER: '/nonexistent/moto_server' })).toThrow(/MOTO_SERVER=\/nonexistent\/moto_server is not an executable/);
  });
});
