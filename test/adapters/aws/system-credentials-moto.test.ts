import { AddUserToGroupCommand, AttachUserPolicyCommand, CreateGroupCommand, CreateRoleCommand, CreateUserCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, ListGroupsForUserCommand, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import { AwsIamProvider } from '../../../src/adapters/aws/aws-iam-provider.js';
import { sessionNameOf } from '../../../src/adapters/aws/system-credentials.js';
import { trustSid } from '../../../src/core/entitlements/role-trust.js';
import { decodePolicyDocument } from '../../../src/core/iam/parse-account-snapshot.js';
import type { PolicyStatement } from '../../../src/core/model.js';
import { applyAccess } from '../../../src/usecases/apply.js';
import { planAccess } from '../../../src/usecases/plan.js';
import { ACCESS_DENIED, startAwsProxy, type AwsProxy } from '../../helpers/aws-proxy.js';
import { awsPolicy } from '../../helpers/iam-account.js';
import { accountClients } from '../../helpers/moto-accounts.js';
import { startMoto, type Moto } from '../../helpers/moto.js';
import { grantYaml, ORG, snapshot } from '../../helpers/repo.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const RDS = awsPolicy('AmazonRDSFullAccess');
const PROD = '111122223333';
const DEV = '444455556666';
const role = (account: string) => `arn:aws:iam::${account}:role/grantops-connector`;
const SYSTEMS = `  aws-dev: { type: aws, accountId: "${DEV}", roleArn: "${role(DEV)}", externalId: vandelay-grantops }
  aws-broken: { type: aws, accountId: "777788889999", roleArn: "${role('777788889999')}" }
  aws-wrong: { type: aws, accountId: "555566667777", roleArn: "${role('222233334444')}" }
`;
const HANDMADE: PolicyStatement = { Sid: 'CiDeploy', Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' };

const resource = (id: string, system: string, grants: string) => ({ [`access/resources/${system}/${id}.yaml`]: `id: ${id}\nsystem: ${system}\nsensitivity: low\nowners: [res-owner]\ngrants: ${grants}\n` });
const grant = (resourceId: string, status = 'active') => ({ [`access/grants/dev/${resourceId}.yaml`]: grantYaml({ user: 'dev', resource: resourceId, reason: 'work', expires: '2026-11-27T00:00:00Z', approvalExpires: '2026-12-20T00:00:00Z', status }) });

function repo(status = 'active') {
  return snapshot({
    'access/grantops.yaml': ORG + SYSTEMS,
    ...resource('dev-logs', 'aws-dev', '{ group: log-readers }'),
    ...resource('deploy', 'aws-dev', '{ role: deploy-prod }'),
    ...resource('broken-db', 'aws-broken', `{ managedPolicy: "${RDS}" }`),
    ...resource('wrong-db', 'aws-wrong', `{ managedPolicy: "${RDS}" }`),
    ...grant('prod-db', status),
    ...grant('dev-logs', status),
    ...grant('deploy', status),
    ...grant('broken-db', status),
    ...grant('wrong-db', status),
  });
}

let moto: Moto;
let proxy: AwsProxy;
let prod: IAMClient;
let dev: IAMClient;
/** The run's own credentials: a session in the prod account (in the Action, the role assumed through OIDC). */
let run: { accessKeyId: string; secretAccessKey: string; sessionToken: string };

beforeAll(async () => {
  moto = await startMoto(PROD, { multiAccount: true });
  proxy = await startAwsProxy(moto.endpoint);
  ({ iam: prod, credentials: run } = await accountClients(moto.endpoint, PROD));
  dev = (await accountClients(moto.endpoint, DEV)).iam;
  await prod.send(new CreateUserCommand({ UserName: 'dev' }));
  await dev.send(new CreateUserCommand({ UserName: 'dev' }));
  await dev.send(new CreateGroupCommand({ GroupName: 'log-readers' }));
  await dev.send(new CreateRoleCommand({ RoleName: 'deploy-prod', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [HANDMADE] }) }));
});
afterAll(async () => {
  prod?.destroy();
  dev?.destroy();
  await proxy?.stop();
  await moto?.stop();
});

const provider = () =>
  new AwsIamProvider({ env: { AWS_ENDPOINT_URL_IAM: proxy.endpoint, AWS_ENDPOINT_URL_STS: proxy.endpoint }, clientConfig: { credentials: run }, retry: { sleep: async () => undefined }, sessionName: 'grantops-access-run-42-1' });

describe('per-system credentials against moto (STS, IAM), through a recording proxy', () => {
  it('assumes each system\'s role once, signs its calls with that session, and withholds the systems that fail, alone', async () => {
    proxy.calls.length = 0;
    proxy.inject((call) => (call.action === 'AssumeRole' && call.params.RoleArn === role('777788889999') ? ACCESS_DENIED : undefined));
    const report = await applyAccess({ root: '/nonexistent', dir: 'access', history: null, provider: provider(), now: NOW, snapshot: repo() });
    proxy.inject(undefined);

    // The two healthy systems are applied; the broken and the foreign one are reported and withheld.
    expect(report.results.map((r) => `${r.status} ${r.operation.system} ${r.operation.action}`).sort()).toEqual([
      'done aws-dev add-role-trust-statement',
      'done aws-dev add-user-to-group',
      'done aws-prod attach-user-policy',
    ]);
    const problems = report.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.rule} ${d.message}`);
    expect(problems).toEqual([
      expect.stringMatching(/^plan\/system-unreachable system "aws-broken" could not be read.*cannot assume .*777788889999.*AccessDenied/),
      expect.stringMatching(/^plan\/system-unreachable system "aws-wrong" could not be read.*session of .*222233334444.* is in account 222233334444, not 555566667777/),
    ]);
    expect(report.plan.withheldSystems?.sort()).toEqual(['aws-broken', 'aws-wrong']);
    expect(report.ok).toBe(false);

    // One AssumeRole per system with a role, naming the run, with the external id where one is set.
    const assumes = proxy.calls.filter((c) => c.action === 'AssumeRole');
    expect(assumes.map((c) => [c.params.RoleArn, c.params.RoleSessionName, c.params.ExternalId ?? null]).sort()).toEqual([
      [role('222233334444'), 'grantops-access-run-42-1', null],
      [role(DEV), 'grantops-access-run-42-1', 'vandelay-grantops'],
      [role('777788889999'), 'grantops-access-run-42-1', null],
    ]);
    expect(new Set(assumes.map((c) => c.accessKeyId))).toEqual(new Set([run.accessKeyId]));

    // Which credentials made which IAM call: prod with the run's own, dev with its session, nothing for the others.
    const iam = proxy.calls.filter((c) => c.service === 'iam');
    const byKey = new Map<string, string[]>();
    for (const c of iam) byKey.set(c.accessKeyId, [...(byKey.get(c.accessKeyId) ?? []), c.action]);
    expect([...byKey.keys()]).toHaveLength(2);
    expect(byKey.get(run.accessKeyId)!.sort()).toEqual(['AttachUserPolicy', 'GetAccountAuthorizationDetails', 'GetAccountSummary']);
    const session = [...byKey.keys()].find((k) => k !== run.accessKeyId)!;
    expect(session).toMatch(/^ASIA/);
    expect(byKey.get(session)!.sort()).toEqual(['AddUserToGroup', 'GetAccountAuthorizationDetails', 'GetAccountSummary', 'GetRole', 'UpdateAssumeRolePolicy']);

    // moto keys IAM by the signing account: the changes landed in each system's own account.
    expect((await prod.send(new ListAttachedUserPoliciesCommand({ UserName: 'dev' }))).AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([RDS]);
    expect((await dev.send(new ListGroupsForUserCommand({ UserName: 'dev' }))).Groups?.map((g) => g.GroupName)).toEqual(['log-readers']);
    expect((await dev.send(new ListAttachedUserPoliciesCommand({ UserName: 'dev' }))).AttachedPolicies).toEqual([]);
  });

  it('wrote the trust statement it was asked to, beside the one it did not write (moto evaluates no trust policy: the document is asserted)', async () => {
    const trust = decodePolicyDocument((await dev.send(new GetRoleCommand({ RoleName: 'deploy-prod' }))).Role!.AssumeRolePolicyDocument!);
    expect([trust.Statement].flat()).toEqual([
      HANDMADE,
      {
        Sid: trustSid('dev'),
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${DEV}:user/dev` },
        Action: 'sts:AssumeRole',
        Condition: { DateLessThan: { 'aws:CurrentTime': '2026-11-27T00:00:00Z' }, StringEquals: { 'sts:RoleSessionName': 'dev' } },
      },
    ]);
  });

  it('a second run is a no-op: no mutating call at all', async () => {
    proxy.calls.length = 0;
    const plan = await planAccess({ root: '/nonexistent', dir: 'access', history: null, provider: provider(), now: NOW, snapshot: repo(), systems: ['aws-prod', 'aws-dev'] });
    expect(plan.ok).toBe(true);
    expect(plan.plan.operations).toEqual([]);
    expect(proxy.calls.filter((c) => !/^(Get|List|AssumeRole)/.test(c.action))).toEqual([]);
  });

  it('revoking the role grant removes its statement and ends the user\'s older sessions', async () => {
    const report = await applyAccess({ root: '/nonexistent', dir: 'access', history: null, provider: provider(), now: NOW, snapshot: repo('expired'), systems: ['aws-dev'] });
    expect(report.ok).toBe(true);
    expect(report.results.map((r) => `${r.status} ${r.operation.action}`).sort()).toEqual(['done remove-role-trust-statement', 'done remove-user-from-group']);
    const trust = decodePolicyDocument((await dev.send(new GetRoleCommand({ RoleName: 'deploy-prod' }))).Role!.AssumeRolePolicyDocument!);
    expect([trust.Statement].flat()).toEqual([HANDMADE]);
    const revoked = decodePolicyDocument((await dev.send(new GetRolePolicyCommand({ RoleName: 'deploy-prod', PolicyName: 'grantops-revoked-sessions' }))).PolicyDocument!);
    expect([revoked.Statement].flat()).toEqual([
      expect.objectContaining({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:userid': '*:dev' }, DateLessThan: { 'aws:TokenIssueTime': NOW.toISOString() } } }),
    ]);
  });

  it('a run that already is the system\'s connector role (a matrix job through OIDC) uses it without assuming it again', async () => {
    const job = await accountClients(moto.endpoint, DEV, 'grantops-connector');
    proxy.calls.length = 0;
    const p = new AwsIamProvider({ env: { AWS_ENDPOINT_URL_IAM: proxy.endpoint, AWS_ENDPOINT_URL_STS: proxy.endpoint }, clientConfig: { credentials: job.credentials }, retry: { sleep: async () => undefined } });
    const plan = await planAccess({ root: '/nonexistent', dir: 'access', provider: p, history: null, now: NOW, snapshot: repo(), systems: ['aws-dev'] });
    expect(plan.ok).toBe(true);
    expect(proxy.calls.filter((c) => c.service === 'sts').map((c) => c.action)).toEqual(['GetCallerIdentity']);
    expect(new Set(proxy.calls.filter((c) => c.service === 'iam').map((c) => c.accessKeyId))).toEqual(new Set([job.credentials.accessKeyId]));
  });

  it('a command that only reads assumes the system\'s planRoleArn, one that writes its roleArn, and a plan job that already is the plan role uses it as it is', async () => {
    const planRole = `arn:aws:iam::${DEV}:role/grantops-plan`;
    const withPlanRole = snapshot({
      'access/grantops.yaml': `${ORG}  aws-dev: { type: aws, accountId: "${DEV}", roleArn: "${role(DEV)}", planRoleArn: "${planRole}", externalId: vandelay-grantops }\n`,
      ...resource('dev-logs', 'aws-dev', '{ group: log-readers }'),
      ...grant('dev-logs'),
    });
    const assumed = async (readOnly: boolean) => {
      proxy.calls.length = 0;
      const p = new AwsIamProvider({ env: { AWS_ENDPOINT_URL_IAM: proxy.endpoint, AWS_ENDPOINT_URL_STS: proxy.endpoint }, clientConfig: { credentials: run }, retry: { sleep: async () => undefined }, readOnly });
      const plan = await planAccess({ root: '/nonexistent', dir: 'access', provider: p, history: null, now: NOW, snapshot: withPlanRole, systems: ['aws-dev'] });
      expect([plan.ok, plan.diagnostics.filter((d) => d.severity === 'error')]).toEqual([true, []]);
      return proxy.calls.filter((c) => c.action === 'AssumeRole').map((c) => [c.params.RoleArn, c.params.ExternalId]);
    };
    expect(await assumed(true)).toEqual([[planRole, 'vandelay-grantops']]);
    expect(await assumed(false)).toEqual([[role(DEV), 'vandelay-grantops']]);

    const job = await accountClients(moto.endpoint, DEV, 'grantops-plan');
    proxy.calls.length = 0;
    const p = new AwsIamProvider({ env: { AWS_ENDPOINT_URL_IAM: proxy.endpoint, AWS_ENDPOINT_URL_STS: proxy.endpoint }, clientConfig: { credentials: job.credentials }, retry: { sleep: async () => undefined }, readOnly: true });
    const plan = await planAccess({ root: '/nonexistent', dir: 'access', provider: p, history: null, now: NOW, snapshot: withPlanRole, systems: ['aws-dev'] });
    expect(plan.ok).toBe(true);
    expect(proxy.calls.filter((c) => c.service === 'sts').map((c) => c.action)).toEqual(['GetCallerIdentity']);
    expect(new Set(proxy.calls.filter((c) => c.service === 'iam').map((c) => c.accessKeyId))).toEqual(new Set([job.credentials.accessKeyId]));
  });

  it('names the session after the GitHub Actions run, or the local user', () => {
    expect(sessionNameOf({ GITHUB_RUN_ID: '123', GITHUB_RUN_ATTEMPT: '2', GITHUB_REPOSITORY: 'vandelay/access' })).toBe('grantops-access-123-2');
    expect(sessionNameOf({ USER: 'kramer' }, 1_700_000_000_000)).toBe('grantops-kramer-1700000000');
    expect(sessionNameOf({ USER: 'a b/c' }, 0)).toBe('grantops-a-b-c-0');
  });
});
