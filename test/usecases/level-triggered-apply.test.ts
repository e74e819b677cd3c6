import { AttachUserPolicyCommand, DetachUserPolicyCommand, CreateGroupCommand, CreateUserCommand, DeleteUserCommand, GetGroupCommand, IAMClient, ListAttachedUserPoliciesCommand } from '@aws-sdk/client-iam';
import { awsPolicy } from '../helpers/iam-account.js';
import { runCli } from '../helpers/cli.js';
import { MOTO_CREDENTIALS as CREDENTIALS, startMoto, type Moto } from '../helpers/moto.js';
import { grantYaml, ORG, PEOPLE, RESOURCES } from '../helpers/repo.js';
import { TestRepo } from '../github-server/test-repo.js';

// The CLI run as an administrator runs it, in a clone of the access repository, against moto: what it may
// remove comes from the branch's own history, as in the Action (one use case for both doors).
const NOW = new Date('2026-11-23T12:00:00Z');
const RDS = awsPolicy('AmazonRDSFullAccess');
const DEV_DB = 'access/grants/dev/prod-db.yaml';
const DEV2_LOGS = 'access/grants/dev2/logs-read.yaml';
const grant = (user: string, resource: string) => grantYaml({ user, resource, reason: 'work', expires: '2026-11-28T00:00:00Z', approvalExpires: '2027-01-10T00:00:00Z', status: 'active' });

let moto: Moto;
let admin: IAMClient;
let repo: TestRepo;
const saved = { ...process.env };

beforeAll(async () => {
  moto = await startMoto();
  admin = new IAMClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: CREDENTIALS });
  Object.assign(process.env, { AWS_ENDPOINT_URL_IAM: moto.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
});
afterAll(async () => {
  process.env = saved;
  admin?.destroy();
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  for (const UserName of ['dev', 'dev2', 'res-owner']) await admin.send(new CreateUserCommand({ UserName }));
  await admin.send(new CreateGroupCommand({ GroupName: 'log-readers' }));
  repo = await TestRepo.create();
  await repo.commit({
    'access/grantops.yaml': ORG,
    'access/people.yaml': PEOPLE,
    ...Object.fromEntries(Object.entries(RESOURCES).map(([id, text]) => [`access/resources/aws-prod/${id}.yaml`, text])),
    [DEV_DB]: grant('dev', 'prod-db'),
    [DEV2_LOGS]: grant('dev2', 'logs-read'),
  }, 'grants');
});
afterEach(async () => repo.remove());

const apply = () => runCli(['apply', '--provider', 'aws', '--format', 'json'], repo.dir, NOW);
const policiesOf = async (UserName: string) => ((await admin.send(new ListAttachedUserPoliciesCommand({ UserName }))).AttachedPolicies ?? []).map((p) => p.PolicyArn);
const logReaders = async () => ((await admin.send(new GetGroupCommand({ GroupName: 'log-readers' }))).Users ?? []).map((u) => u.UserName).sort();

describe('level-triggered apply from the CLI', () => {
  it('removes the access of a deleted grant file, also when the run after the deletion was missed', async () => {
    expect((await apply()).code).toBe(0);
    expect(await policiesOf('dev')).toEqual([RDS]);
    // res-owner holds the policy by other means: never a grant of this repository, never grantops's to take.
    await admin.send(new AttachUserPolicyCommand({ UserName: 'res-owner', PolicyArn: RDS }));

    await repo.commit({ [DEV_DB]: null }, 'dev gives prod-db up');
    // No run here (missed, or failed): the next commit does not touch the grant at all.
    await repo.commit({ 'README.md': 'notes\n' }, 'unrelated');

    const run = await apply();
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).operations).toEqual([expect.objectContaining({ status: 'done', action: 'detach-user-policy', principal: 'dev', grant: DEV_DB })]);
    expect(await policiesOf('dev')).toEqual([]);
    expect(await policiesOf('res-owner')).toEqual([RDS]);
    expect(JSON.parse((await apply()).out).operations).toEqual([]);
  });

  it('finds a grant deleted on a merged branch through the merge commit (first-parent history)', async () => {
    expect((await apply()).code).toBe(0);
    await repo.branch('give-up');
    await repo.commit({ [DEV_DB]: null }, 'give prod-db up');
    await repo.checkout('main');
    await repo.git.raw(['merge', '--no-ff', '-m', 'Merge pull request #7', 'give-up']);
    expect((await apply()).code).toBe(0);
    expect(await policiesOf('dev')).toEqual([]);
  });

  it("removes an offboarded person's access: their IAM user comes from the people.yaml that last named them", async () => {
    expect((await apply()).code).toBe(0);
    expect(await logReaders()).toEqual(['dev2']);
    const withoutDev2 = PEOPLE.split('\n').filter((line) => !line.includes('login: dev2,')).join('\n');
    await repo.commit({ 'access/people.yaml': withoutDev2, [DEV2_LOGS]: null }, 'dev2 left');
    await repo.commit({ 'access/people.yaml': `${withoutDev2}- { login: newbie, name: New Person, manager: mgr }\n` }, 'newbie joined');

    const run = await apply();
    expect(run.code).toBe(0);
    expect(await logReaders()).toEqual([]);
  });

  it('asks nothing of an IAM user deleted at offboarding whose grant is gone', async () => {
    expect((await apply()).code).toBe(0);
    await admin.send(new DetachUserPolicyCommand({ UserName: 'dev', PolicyArn: RDS }));
    await admin.send(new DeleteUserCommand({ UserName: 'dev' }));
    await repo.commit({ [DEV_DB]: null }, 'dev left');
    const run = await apply();
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out).operations).toEqual([]);
  });
});
