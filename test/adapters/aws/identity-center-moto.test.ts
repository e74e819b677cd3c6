import type { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { ListAccountAssignmentsCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AwsIamProvider } from '../../../src/adapters/aws/aws-iam-provider.js';
import type { IdentityCenterClients } from '../../../src/adapters/aws/identity-center-clients.js';
import { applyAccess } from '../../../src/usecases/apply.js';
import { planAccess } from '../../../src/usecases/plan.js';
import { startAwsProxy, type AwsProxy } from '../../helpers/aws-proxy.js';
import { accountClients } from '../../helpers/moto-accounts.js';
import { seedIdentityCenter } from '../../helpers/moto-identity-center.js';
import { startMoto, type Moto } from '../../helpers/moto.js';
import { grantYaml, ORG, snapshot } from '../../helpers/repo.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const MGMT = '999988887777';
const A = '111122223333';
const B = '444455556666';
const CONNECTOR = `arn:aws:iam::${MGMT}:role/grantops-connector`;
const PEOPLE = `- { login: owner, name: Org Owner, roles: [executive], email: owner@vandelay.example }
- { login: res-owner, name: Resource Owner, manager: owner, email: elaine@vandelay.example }
- { login: kramer, name: Cosmo Kramer, manager: owner, email: kramer@vandelay.example }
`;

let moto: Moto;
let proxy: AwsProxy;
let sso: SSOAdminClient;
let store: IdentitystoreClient;
let instanceArn: string;
let identityStoreId: string;
let run: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
let ids: Map<string, string>;

beforeAll(async () => {
  moto = await startMoto(A, { multiAccount: true });
  proxy = await startAwsProxy(moto.endpoint);
  ({ credentials: run } = await accountClients(moto.endpoint, A));
  ({ ssoAdmin: sso, identityStore: store } = await accountClients(moto.endpoint, MGMT));
  ({ instanceArn, identityStoreId, ids } = await seedIdentityCenter(sso, store, {
    permissionSets: {
      AdministratorAccess: { managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
      ReadOnly: { inlinePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] } },
    },
    users: ['kramer@vandelay.example', 'elaine@vandelay.example'],
    groups: ['admins'],
    // Assignments nobody declared in the repository: a person's, and a group's. grantops must leave both alone.
    assignments: [
      ['elaine@vandelay.example', 'USER', 'ReadOnly', A],
      ['admins', 'GROUP', 'AdministratorAccess', A],
    ],
  }));
});
afterAll(async () => {
  sso?.destroy();
  store?.destroy();
  await proxy?.stop();
  await moto?.stop();
});

function repo(status = 'active') {
  const org = `${ORG}  sso: { type: aws-identity-center, instanceArn: "${instanceArn}", identityStoreId: ${identityStoreId}, region: us-east-1, roleArn: "${CONNECTOR}" }\n`;
  const resource = (id: string, set: string, accounts: string[]) => ({ [`access/resources/sso/${id}.yaml`]: `id: ${id}\nsystem: sso\nsensitivity: low\nowners: [res-owner]\ngrants: { permissionSet: ${set}, accounts: [${accounts.map((a) => `"${a}"`).join(', ')}] }\n` });
  const grant = (id: string, s = 'active') => ({ [`access/grants/kramer/${id}.yaml`]: grantYaml({ user: 'kramer', resource: id, reason: 'on call', expires: '2026-11-27T00:00:00Z', approvalExpires: '2026-12-20T00:00:00Z', status: s }) });
  return snapshot({ 'access/grantops.yaml': org, 'access/people.yaml': PEOPLE, ...resource('prod-admin', 'AdministratorAccess', [A, B]), ...resource('read', 'ReadOnly', [A]), ...grant('prod-admin', status), ...grant('read') });
}

const provider = (fake?: (clients: IdentityCenterClients) => void) =>
  new AwsIamProvider({
    env: { AWS_ENDPOINT_URL: proxy.endpoint },
    clientConfig: { credentials: run },
    retry: { sleep: async () => undefined },
    polling: { sleep: async () => undefined },
    identityCenterClientsFor: (_system, made) => {
      fake?.(made);
      return made;
    },
  });

async function assignments(set: string, account: string) {
  return (await sso.send(new ListAccountAssignmentsCommand({ InstanceArn: instanceArn, AccountId: account, PermissionSetArn: ids.get(set) }))).AccountAssignments ?? [];
}

const ssoCalls = () => proxy.calls.filter((c) => c.service === 'sso' || c.service === 'identitystore');
const count = (actions: string[]) => Object.fromEntries([...new Set(actions)].sort().map((a) => [a, actions.filter((x) => x === a).length]));

describe('Identity Center against moto (sso-admin, identitystore, STS), through a recording proxy', () => {
  it('creates one assignment per declared account with the connector role\'s session, reading with the fewest calls', async () => {
    proxy.calls.length = 0;
    const report = await applyAccess({ root: '/nonexistent', dir: 'access', history: null, provider: provider(), now: NOW, snapshot: repo(), systems: ['sso'] });
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(report.results.map((r) => `${r.status} ${r.operation.action} ${r.operation.target} ${r.operation.account}`).sort()).toEqual([
      `done create-account-assignment AdministratorAccess ${A}`,
      `done create-account-assignment AdministratorAccess ${B}`,
      `done create-account-assignment ReadOnly ${A}`,
    ]);
    // Three pairs are declared and the store has two users: one ListAccountAssignmentsForPrincipal per user is cheaper.
    expect(count(ssoCalls().map((c) => c.action))).toEqual({
      CreateAccountAssignment: 3,
      DescribePermissionSet: 2,
      ListAccountAssignmentsForPrincipal: 2,
      ListPermissionSets: 1,
      ListUsers: 1,
    });
    // Every Identity Center call is signed by the connector role's session (moto keys the instance by that account).
    expect(proxy.calls.filter((c) => c.action === 'AssumeRole').map((c) => c.params.RoleArn)).toEqual([CONNECTOR]);
    expect(new Set(ssoCalls().map((c) => c.accessKeyId)).size).toBe(1);
    expect(ssoCalls()[0]!.accessKeyId).not.toBe(run.accessKeyId);
    // moto would store a second copy of an assignment asked for twice; grantops asks only for what is missing.
    expect(await assignments('AdministratorAccess', A)).toEqual(expect.arrayContaining([expect.objectContaining({ PrincipalId: ids.get('kramer@vandelay.example') })]));
    expect((await assignments('AdministratorAccess', A)).filter((a) => a.PrincipalType === 'USER')).toHaveLength(1);
    expect(await assignments('ReadOnly', A)).toHaveLength(2);
    // None of the calls moto answers with 500 is needed.
    expect(proxy.calls.filter((c) => ['DescribeInstance', 'ListAccountAssignmentCreationStatus', 'ListTagsForResource'].includes(c.action))).toEqual([]);
  });

  it('a second run changes nothing: no mutating call', async () => {
    proxy.calls.length = 0;
    const report = await applyAccess({ root: '/nonexistent', dir: 'access', history: null, provider: provider(), now: NOW, snapshot: repo(), systems: ['sso'] });
    expect(report.results).toEqual([]);
    expect(ssoCalls().filter((c) => !/^(List|Describe|Get)/.test(c.action))).toEqual([]);
  });

  it('the end of a grant deletes its assignments; assignments nobody declared, and group ones, stay', async () => {
    const report = await applyAccess({ root: '/nonexistent', dir: 'access', history: null, provider: provider(), now: NOW, snapshot: repo('expired'), systems: ['sso'] });
    expect(report.results.map((r) => `${r.status} ${r.operation.action} ${r.operation.account}`).sort()).toEqual([`done delete-account-assignment ${A}`, `done delete-account-assignment ${B}`]);
    expect((await assignments('AdministratorAccess', A)).map((a) => a.PrincipalType)).toEqual(['GROUP']);
    expect(await assignments('AdministratorAccess', B)).toEqual([]);
    expect((await assignments('ReadOnly', A)).map((a) => a.PrincipalId).sort()).toEqual([ids.get('elaine@vandelay.example'), ids.get('kramer@vandelay.example')].sort());
  });

  // moto answers every assignment request SUCCEEDED at once; Identity Center answers IN_PROGRESS and ends
  // later, sometimes FAILED. Those answers are made at the client boundary, on top of moto's real ones.
  it('follows an IN_PROGRESS request to its end, and a FAILED one is a failed operation naming the grant', async () => {
    let polls = 0;
    const fake = (clients: IdentityCenterClients) =>
      clients.ssoAdmin.middlewareStack.add(
        (next, context) => async (args) => {
          const result = await next(args);
          const output = result.output as { AccountAssignmentCreationStatus?: { Status?: string; TargetId?: string; FailureReason?: string } };
          const status = output.AccountAssignmentCreationStatus;
          if (context.commandName === 'CreateAccountAssignmentCommand' && status) status.Status = 'IN_PROGRESS';
          if (context.commandName === 'DescribeAccountAssignmentCreationStatusCommand' && status) {
            polls++;
            const ended = polls % 3 === 0;
            status.Status = !ended ? 'IN_PROGRESS' : status.TargetId === B ? 'FAILED' : 'SUCCEEDED';
            if (ended && status.TargetId === B) status.FailureReason = 'Received a 404 status error: Not supported account 444455556666.';
          }
          return result;
        },
        { step: 'initialize', name: 'fakeAssignmentStatus' },
      );
    proxy.calls.length = 0;
    const report = await applyAccess({ root: '/nonexistent', dir: 'access', history: null, provider: provider(fake), now: NOW, snapshot: repo(), systems: ['sso'] });
    expect(report.results.map((r) => `${r.status} ${r.operation.account}`).sort()).toEqual([`done ${A}`, `failed ${B}`]);
    const failed = report.results.find((r) => r.status === 'failed')!;
    expect(failed.error).toMatch(/create-account-assignment kramer@vandelay.example AdministratorAccess in 444455556666 \(access\/grants\/kramer\/prod-admin.yaml\) failed in system "sso": request .* ended FAILED: Received a 404/);
    expect(report.ok).toBe(false);
    expect(count(ssoCalls().map((c) => c.action)).DescribeAccountAssignmentCreationStatus).toBe(polls);
    expect(polls).toBe(6);
  });

  it('the full read-out carries each permission set\'s policies and the groups, in the state format', async () => {
    proxy.calls.length = 0;
    // moto answers GetPermissionsBoundaryForPermissionSet with a 500; Identity Center answers a permission set
    // without a boundary with ResourceNotFoundException, made here at the client boundary.
    const p = provider((clients) =>
      clients.ssoAdmin.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'GetPermissionsBoundaryForPermissionSetCommand') throw Object.assign(new Error('The permission set has no permissions boundary'), { name: 'ResourceNotFoundException' });
          return next(args);
        },
        { step: 'initialize', name: 'fakeNoBoundary' },
      ),
    );
    const system = { id: 'sso', config: { type: 'aws-identity-center' as const, instanceArn, identityStoreId, roleArn: CONNECTOR } };
    const snap = await p.readSnapshot(system).catch((error: Error) => {
      throw new Error(`${error.message}; calls: ${proxy.calls.map((c) => c.action).join(' ')}`);
    });
    const state = snap.IdentityCenter!;
    expect(state.Instance).toEqual({ InstanceArn: instanceArn, IdentityStoreId: identityStoreId });
    expect(state.Groups).toEqual([expect.objectContaining({ DisplayName: 'admins' })]);
    expect(state.PermissionSets.find((s) => s.Name === 'AdministratorAccess')).toMatchObject({ AttachedManagedPolicies: [{ Name: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] });
    expect(state.PermissionSets.find((s) => s.Name === 'ReadOnly')!.InlinePolicy).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] });
    const plan = await planAccess({ root: '/nonexistent', dir: 'access', history: null, provider: p, now: NOW, snapshot: repo(), systems: ['sso'] });
    expect(plan.ok).toBe(true);
  });
});
