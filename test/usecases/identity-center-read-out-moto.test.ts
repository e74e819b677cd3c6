import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateUserCommand } from '@aws-sdk/client-iam';
import type { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AwsIamProvider } from '../../src/adapters/aws/aws-iam-provider.js';
import { createIamClient } from '../../src/adapters/aws/iam-client.js';
import { AwsUsageReader } from '../../src/adapters/aws/read-usage.js';
import { importAccount } from '../../src/usecases/import-account.js';
import { inventoryAccounts } from '../../src/usecases/inventory.js';
import { planAccess } from '../../src/usecases/plan.js';
import { startAwsProxy, type AwsProxy } from '../helpers/aws-proxy.js';
import { accountClients } from '../helpers/moto-accounts.js';
import { seedIdentityCenter } from '../helpers/moto-identity-center.js';
import { startMoto, type Moto } from '../helpers/moto.js';
import { grantYaml, ORG } from '../helpers/repo.js';

/**
 * The read-out of an Identity Center instance through the aws provider, against moto's sso-admin,
 * identitystore and STS: inventory explains every assignment (users and groups) and lists what each
 * permission set contains; import adopts the assignments of people; a system read from another account
 * is reported at its entry while the others are read out.
 */
const NOW = new Date('2026-11-23T12:00:00Z');
const MGMT = '999988887777';
const A = '111122223333';
const B = '444455556666';
const CONNECTOR = `arn:aws:iam::${MGMT}:role/grantops-connector`;
const PEOPLE = `- { login: owner, name: Org Owner, roles: [executive], email: owner@vandelay.example }
- { login: elaine, name: Elaine Benes, manager: owner, email: elaine@vandelay.example }
- { login: kramer, name: Cosmo Kramer, manager: owner, email: kramer@vandelay.example, aws: { user: cosmo.kramer, identityCenterUser: cosmo } }
`;

let moto: Moto;
let proxy: AwsProxy;
let sso: SSOAdminClient;
let instanceArn: string;
let identityStoreId: string;
let run: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
let root: string;

beforeAll(async () => {
  moto = await startMoto(A, { multiAccount: true });
  proxy = await startAwsProxy(moto.endpoint);
  const account = await accountClients(moto.endpoint, A);
  run = account.credentials;
  // A user in account A, so that its IAM read names the account it is of.
  await account.iam.send(new CreateUserCommand({ UserName: 'deployer' }));
  account.iam.destroy();
  const mgmt = await accountClients(moto.endpoint, MGMT);
  sso = mgmt.ssoAdmin;
  ({ instanceArn, identityStoreId } = await seedIdentityCenter(sso, mgmt.identityStore, {
    permissionSets: {
      AdministratorAccess: { managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'] },
      ReadOnly: { inlinePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }] } },
      Billing: { customerManaged: [{ Name: 'billing-view', Path: '/finance/' }] },
    },
    sessionDuration: 'PT2H',
    users: ['cosmo', 'elaine@vandelay.example', 'bob@vandelay.example'],
    groups: ['admins'],
    assignments: [
      ['cosmo', 'USER', 'ReadOnly', A], // granted (kramer's grant of read-only)
      ['elaine@vandelay.example', 'USER', 'Billing', A], // a person's, with no grant
      ['elaine@vandelay.example', 'USER', 'Billing', B],
      ['bob@vandelay.example', 'USER', 'AdministratorAccess', B], // nobody in people.yaml
      ['admins', 'GROUP', 'AdministratorAccess', A],
    ],
  }));

  root = mkdtempSync(join(tmpdir(), 'grantops-ic-readout-'));
  const files: Record<string, string> = {
    'access/grantops.yaml': `${ORG}  aws-elsewhere: { type: aws, accountId: "555566667777", region: us-east-1 }\n  sso: { type: aws-identity-center, instanceArn: "${instanceArn}", identityStoreId: ${identityStoreId}, region: us-east-1, roleArn: "${CONNECTOR}" }\n`,
    'access/people.yaml': PEOPLE,
    'access/resources/sso/read-only.yaml': `id: read-only\nsystem: sso\nsensitivity: low\nowners: [owner]\ngrants: { permissionSet: ReadOnly, accounts: ["${A}"] }\n`,
    'access/grants/kramer/read-only.yaml': grantYaml({ user: 'kramer', resource: 'read-only', reason: 'on call', expires: '2026-11-30T00:00:00Z', approvalExpires: '2026-12-20T00:00:00Z', status: 'active' }),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
});
afterAll(async () => {
  sso?.destroy();
  await proxy?.stop();
  await moto?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

const env = () => ({ AWS_ENDPOINT_URL: proxy.endpoint });
// Usage is read with the run's credentials, as the provider reads the account.
const usage = () => new AwsUsageReader({ env: env(), clientFor: (system) => createIamClient(system, env(), { credentials: run }), poll: { sleep: async () => undefined } });
// moto answers GetPermissionsBoundaryForPermissionSet with a 500; Identity Center answers a permission set
// without a boundary with ResourceNotFoundException, made here at the client boundary.
const provider = () =>
  new AwsIamProvider({
    env: env(),
    clientConfig: { credentials: run },
    retry: { sleep: async () => undefined },
    polling: { sleep: async () => undefined },
    identityCenterClientsFor: (_system, made) => {
      made.ssoAdmin.middlewareStack.add(
        (next, context) => async (args) => {
          if (context.commandName === 'GetPermissionsBoundaryForPermissionSetCommand') throw Object.assign(new Error('The permission set has no permissions boundary'), { name: 'ResourceNotFoundException' });
          return next(args);
        },
        { step: 'initialize', name: 'fakeNoBoundary' },
      );
      return made;
    },
  });

describe('Identity Center read-out against moto (sso-admin, identitystore, STS)', () => {
  it('inventory explains every assignment, users and groups, and lists what each permission set contains', async () => {
    proxy.calls.length = 0;
    const result = await inventoryAccounts({ root, dir: 'access', provider: provider(), usage: usage(), now: NOW, systems: ['sso'] });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const [report] = result.reports;
    expect(report!.type).toBe('aws-identity-center');
    const ic = report!.identityCenter!;
    const line = (a: { user: string; principalType?: string; target: string; account?: string; status: string; person?: string }) =>
      `${a.principalType ?? 'user'} ${a.user}${a.person ? ` (${a.person})` : ''} ${a.target}@${a.account} ${a.status}`;
    expect([...ic.users, ...ic.groups].flatMap((p) => p.assignments).map(line).sort()).toEqual([
      `group admins AdministratorAccess@${A} unmanaged`,
      `user bob@vandelay.example AdministratorAccess@${B} unmanaged`,
      `user cosmo (kramer) ReadOnly@${A} granted`,
      `user elaine@vandelay.example (elaine) Billing@${A} unmanaged`,
      `user elaine@vandelay.example (elaine) Billing@${B} unmanaged`,
    ]);
    const sets = Object.fromEntries(ic.permissionSets.map((p) => [p.name, p]));
    expect(sets.AdministratorAccess).toMatchObject({ awsManagedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'], customerManagedPolicies: [], accounts: [A, B], assignments: 2, resources: [] });
    expect(sets.ReadOnly).toMatchObject({ inlinePolicy: { Statement: [{ Action: 's3:Get*' }] }, accounts: [A], resources: ['read-only'], sessionDuration: 'PT2H' });
    expect(sets.Billing).toMatchObject({ customerManagedPolicies: ['/finance/billing-view'], accounts: [A, B] });
    // Scored like policies; read without the accounts, a referenced policy cannot be read and counts as unknown risk.
    expect(ic.permissionSets.map((p) => `${p.name} ${p.risk?.score}`)).toEqual(['AdministratorAccess 90', 'ReadOnly 15', 'Billing 90']);
    expect(report!.recommendations.map((r) => `${r.rule} ${r.subject}`).sort()).toEqual([
      'access/no-expiry group/admins',
      'access/no-expiry user/elaine@vandelay.example',
      'access/no-expiry user/elaine@vandelay.example',
      'access/no-person user/bob@vandelay.example',
    ]);
    // Read with the connector role's session; groups' assignments read per group, as users' per user.
    expect(proxy.calls.filter((c) => c.action === 'AssumeRole').map((c) => c.params.RoleArn)).toEqual([CONNECTOR]);
    expect(proxy.calls.filter((c) => c.action === 'ListAccountAssignmentsForPrincipal')).toHaveLength(4);
    // Usage facts are of IAM users: nothing of IAM is read for an instance.
    expect(proxy.calls.filter((c) => c.service === 'iam')).toEqual([]);
  });

  it('a system read from another account is reported at its entry; the others are read out, and the run fails', async () => {
    const result = await inventoryAccounts({ root, dir: 'access', provider: provider(), usage: usage(), now: NOW, systems: ['aws-elsewhere', 'sso'] });
    expect(result.ok).toBe(false);
    expect(result.reports.map((r) => r.system)).toEqual(['sso']);
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => `${d.file}:${d.line} ${d.rule}`)).toEqual(['access/grantops.yaml:13 plan/wrong-account']);
    expect(errors[0]!.message).toMatch(/system "aws-elsewhere" is account 555566667777, but the IAM read names account 111122223333; refusing to read it out/);
  });

  it('import adopts the assignments of people as grants, leaves the rest, and plan then has nothing to do', async () => {
    const report = await importAccount({ root, out: 'access', provider: provider(), systemId: 'sso', now: NOW });
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(report.written.sort()).toEqual(['access/grants/elaine/billing.yaml', 'access/resources/sso/billing.yaml']);
    expect(readFileSync(join(root, 'access/resources/sso/billing.yaml'), 'utf8')).toMatch(/^grants: \{ permissionSet: Billing, accounts: \[ "111122223333", "444455556666" \] \}$/m);
    expect(report.plan!.skipped.map((s) => s.subject).sort()).toEqual(['group/admins', 'user/bob@vandelay.example']);
    const plan = await planAccess({ root, dir: 'access', provider: provider(), now: NOW, history: null, systems: ['sso'] });
    expect(plan.plan.operations).toEqual([]);
  });
});
