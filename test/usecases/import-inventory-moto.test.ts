import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateLoginProfileCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { AwsIamProvider } from '../../src/adapters/aws/aws-iam-provider.js';
import { createIamClient } from '../../src/adapters/aws/iam-client.js';
import { AwsUsageReader } from '../../src/adapters/aws/read-usage.js';
import { readAccessDir } from '../../src/adapters/file/read-access-dir.js';
import { loadAccessRepo } from '../../src/core/load-access-repo.js';
import type { IamSystemRef } from '../../src/ports.js';
import { importAccount } from '../../src/usecases/import-account.js';
import { inventoryAccounts } from '../../src/usecases/inventory.js';
import { planAccess } from '../../src/usecases/plan.js';
import { MOTO_CREDENTIALS as CREDENTIALS, startMoto, type Moto } from '../helpers/moto.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const instant = { sleep: async () => undefined };

let moto: Moto;
let admin: IAMClient;
let root: string;
let imported: Awaited<ReturnType<typeof importAccount>>;
beforeAll(async () => {
  moto = await startMoto();
  admin = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: CREDENTIALS });
  const deployPolicy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }] });
  const { Policy } = await admin.send(new CreatePolicyCommand({ PolicyName: 'lambda-deploy', PolicyDocument: deployPolicy }));
  for (const UserName of ['art.vandelay', 'kramer', 'newman']) await admin.send(new CreateUserCommand({ UserName }));
  await admin.send(new CreateGroupCommand({ GroupName: 'readers' }));
  await admin.send(new AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
  await admin.send(new AttachUserPolicyCommand({ UserName: 'art.vandelay', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  await admin.send(new AttachUserPolicyCommand({ UserName: 'kramer', PolicyArn: Policy!.Arn! }));
  await admin.send(new AddUserToGroupCommand({ UserName: 'kramer', GroupName: 'readers' }));
  await admin.send(new AddUserToGroupCommand({ UserName: 'newman', GroupName: 'readers' }));
  await admin.send(new CreateLoginProfileCommand({ UserName: 'newman', Password: 'Password-123456' }));
  await admin.send(new CreateAccessKeyCommand({ UserName: 'kramer' }));
  root = mkdtempSync(join(tmpdir(), 'grantops-moto-import-'));
  imported = await importAccount({ root, out: 'access', provider: provider(), systemId: 'aws-prod', now: NOW });
});
afterAll(async () => {
  admin?.destroy();
  await moto?.stop();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const clientFor = (sys: IamSystemRef) => createIamClient(sys, { AWS_ENDPOINT_URL_IAM: moto.endpoint }, { credentials: CREDENTIALS });
const provider = () => new AwsIamProvider({ retry: instant, clientFor });

describe('import and inventory against moto\'s IAM (imported once, in beforeAll)', () => {
  it('imports the account, and plan against it then has nothing to do', async () => {
    const report = imported;
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(report.plan!.grants.map((g) => `${g.user} ${g.resource}`).sort()).toEqual(['art-vandelay administrator-access', 'kramer lambda-deploy', 'kramer readers', 'newman readers']);
    expect(report.plan!.resources.find((r) => r.id === 'lambda-deploy')).toMatchObject({ sensitivity: 'high', score: 76 });

    const { diagnostics } = loadAccessRepo(await readAccessDir(root, 'access'), NOW);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const plan = await planAccess({ root, dir: 'access', provider: provider(), history: null, now: NOW });
    expect(plan.ok).toBe(true);
    expect(plan.plan.operations).toEqual([]);
  });

  it('reads credential facts from the credential report for the inventory', async () => {
    const usage = new AwsUsageReader({ clientFor, retry: instant, poll: { sleep: async () => undefined } });
    const result = await inventoryAccounts({ root, dir: 'access', provider: provider(), usage, now: new Date() });
    expect(result.ok).toBe(true);
    const [report] = result.reports;
    const newman = report!.users.find((u) => u.name === 'newman')!;
    expect(newman).toMatchObject({ console: true, mfa: false, person: 'newman' });
    expect(report!.users.find((u) => u.name === 'kramer')!.accessKeys).toEqual([expect.objectContaining({ id: expect.stringMatching(/^AKIA/), status: 'Active' })]);
    expect(report!.recommendations.map((r) => `${r.rule} ${r.subject}`)).toEqual(expect.arrayContaining(['user/console-without-mfa user/newman', 'user/direct-admin-policy user/art.vandelay']));
    expect(report!.unmanaged).toEqual([]);
  });
});
