import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, copyExampleOrg, runCli } from '../helpers/cli.js';

const NOW = ['--now', '2026-11-23T12:00:00Z'];
const S3 = 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess';

/** The example organisation and its account state in a temporary folder, so apply may change it. */
function exampleWithState() {
  const copy = copyExampleOrg();
  cpSync(join(REPO_ROOT, 'examples'), join(copy.root, 'examples'), { recursive: true });
  return copy;
}

describe('grantops plan on the example organisation', () => {
  it('shows the small set of changes the example organisation needs, each system against its own state file', async () => {
    const run = await runCli(['plan', ...NOW, '--format', 'json'], REPO_ROOT);
    expect(run).toMatchObject({ code: 0, err: '' });
    const out = JSON.parse(run.out) as { ok: boolean; operations: Record<string, unknown>[]; manual: unknown[] };
    expect(out.ok).toBe(true);
    expect(out.manual).toEqual([]);
    expect(out.operations).toEqual([
      { action: 'detach-user-policy', system: 'aws-prod', principal: 'david.puddy', target: S3, grant: 'access/grants/puddy/prod-data-read.yaml', reason: 'the grant has status expired', resource: 'prod-data-read' },
      { action: 'remove-user-from-group', system: 'aws-prod', principal: 'kenny.bania', target: 'developers', grant: null, reason: expect.stringMatching(/^drift: /), resource: 'developers', drift: true },
      { action: 'attach-user-policy', system: 'aws-prod', principal: 'cosmo.kramer', target: S3, grant: 'access/grants/kramer/prod-data-read.yaml', reason: 'granted until 2026-12-07T00:00:00Z', resource: 'prod-data-read' },
      expect.objectContaining({ action: 'add-role-trust-statement', system: 'aws-staging', principal: 'david.puddy', target: 'deploy-staging', grant: 'access/grants/puddy/staging-deploy.yaml' }),
      expect.objectContaining({ action: 'create-account-assignment', system: 'sso', principal: 'jerry@vandelay.example', target: 'ReadOnlyAccess', account: '444455556666', grant: 'access/grants/jerry/read-only.yaml' }),
    ]);
  });

  it('prints the plan as text, removals first', async () => {
    const run = await runCli(['plan', ...NOW], REPO_ROOT);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/- aws-prod detach-user-policy david\.puddy .*\n.*\n\s+- aws-prod remove-user-from-group kenny\.bania developers\n.*\n\s+\+ aws-prod attach-user-policy cosmo\.kramer/);
    expect(run.out).toMatch(/^Plan: 5 operations \(3 to add, 2 to remove, 1 of them drift\), 0 manual\.$/m);
  });

  it('refuses an unknown system', async () => {
    const run = await runCli(['plan', ...NOW, '--system', 'aws-dev'], REPO_ROOT);
    expect(run.code).toBe(2);
    expect(run.out).toMatch(/plan\/unknown-system no system "aws-dev" in grantops.yaml \(known: aws-prod, aws-staging, sso\)/);
  });

  it('fails at plan time, naming the grant, when a grant would break a quota; apply withholds only that grant', async () => {
    const { root, cleanup } = exampleWithState();
    try {
      const path = join(root, 'examples/aws-state.json');
      const state = JSON.parse(readFileSync(path, 'utf8'));
      state.SummaryMap = { AttachedPoliciesPerUserQuota: 1 };
      const kramer = state.UserDetailList.find((u: { UserName: string }) => u.UserName === 'cosmo.kramer');
      kramer.AttachedManagedPolicies = [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }];
      writeFileSync(path, JSON.stringify(state));
      const run = await runCli(['plan', ...NOW], root);
      expect(run.code).toBe(2);
      expect(run.out).toMatch(/^access\/grants\/kramer\/prod-data-read\.yaml:2:11 error plan\/quota-attached-policies prod-data-read: IAM user "cosmo\.kramer" would have 2 attached managed policies; the account allows 1 per user$/m);
      expect(run.out).toMatch(/^Plan failed: 1 error;/m);
      // apply withholds that grant and carries out the rest (here: the two removals and the other systems' additions), exit 4.
      const apply = await runCli(['apply', ...NOW], root);
      expect(apply.code).toBe(4);
      expect(apply.out).toMatch(/^  ! access\/grants\/kramer\/prod-data-read\.yaml: plan\/quota-attached-policies$/m);
      expect(apply.out).toMatch(/^Applied 4 of 4 operations; 1 grant withheld\.$/m);
      const after = JSON.parse(readFileSync(path, 'utf8'));
      expect(after.UserDetailList.find((u: { UserName: string }) => u.UserName === 'cosmo.kramer').AttachedManagedPolicies).toEqual(kramer.AttachedManagedPolicies);
    } finally {
      cleanup();
    }
  });

  it('says what to do when the state files are missing, at each system', async () => {
    const { root, cleanup } = copyExampleOrg();
    try {
      const run = await runCli(['plan', ...NOW], root);
      expect(run.code).toBe(2);
      // The system that cannot be read is reported where it is declared, as a problem of that system.
      expect(run.out).toMatch(/^access\/grantops\.yaml:25:13 error plan\/system-unreachable system "aws-prod" could not be read, so nothing is applied to it: no state for system "aws-prod": examples\/aws-state\.json does not exist \(give one with --state aws-prod=FILE\)$/m);
      expect(run.out).toMatch(/^access\/grantops\.yaml:27:8 error plan\/system-unreachable system "sso" could not be read.*examples\/state\/sso\.json does not exist/m);
    } finally {
      cleanup();
    }
  });
});

describe('grantops apply with the file provider', () => {
  it('applies the plan to the state, then plans nothing and applies nothing', async () => {
    const { root, cleanup } = exampleWithState();
    try {
      const state = 'examples/aws-state.json';
      const applied = await runCli(['apply', ...NOW, '--state', state], root);
      expect(applied).toMatchObject({ code: 0, err: '' });
      expect(applied.out).toMatch(/ok aws-prod attach-user-policy cosmo\.kramer/);
      expect(applied.out).toMatch(/ok sso create-account-assignment jerry@vandelay\.example ReadOnlyAccess in 444455556666/);
      expect(applied.out).toMatch(/^Applied 5 of 5 operations\.$/m);

      const after = JSON.parse(readFileSync(join(root, state), 'utf8'));
      const user = (name: string) => after.UserDetailList.find((u: { UserName: string }) => u.UserName === name);
      expect(user('cosmo.kramer').AttachedManagedPolicies).toEqual([{ PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: S3 }]);
      expect(user('david.puddy').AttachedManagedPolicies).toEqual([]);
      expect(user('kenny.bania').GroupList).toEqual([]);
      // Undeclared entities are left as they were.
      expect(user('art.vandelay').AttachedManagedPolicies).toEqual([{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);
      expect(user('wilhelm').GroupList).toEqual(['auditors']);

      const plan = await runCli(['plan', ...NOW, '--state', state, '--format', 'json'], root);
      expect(JSON.parse(plan.out).operations).toEqual([]);
      // Outside a git repository the plan says what it cannot know: who held grants that are gone now.
      expect((await runCli(['plan', ...NOW, '--state', state], root)).out.split('\n')).toEqual([
        expect.stringMatching(/^access\/grantops.yaml:1:1 warning plan\/no-history access is not in a git repository/),
        'No changes: aws-prod, aws-staging, sso match the repository.',
      ]);
      const before = readFileSync(join(root, state), 'utf8');
      const again = await runCli(['apply', ...NOW, '--state', state, '--format', 'json'], root);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.out)).toMatchObject({ ok: true, operations: [] });
      expect(readFileSync(join(root, state), 'utf8')).toBe(before);
    } finally {
      cleanup();
    }
  });

  it('removes access once the grants lapse', async () => {
    const { root, cleanup } = exampleWithState();
    try {
      const later = await runCli(['plan', '--now', '2026-12-05T00:00:00Z', '--format', 'json'], root);
      const ops = JSON.parse(later.out).operations as { action: string; principal: string }[];
      expect(ops.map((o) => `${o.action} ${o.principal}`)).toEqual([
        'detach-user-policy david.puddy',
        'detach-user-policy george.costanza',
        'remove-user-from-group jerry.seinfeld',
        'remove-user-from-group kenny.bania',
        'delete-user-policy newman',
        'attach-user-policy cosmo.kramer',
        'add-role-trust-statement david.puddy',
        'create-account-assignment jerry@vandelay.example',
      ]);
    } finally {
      cleanup();
    }
  });
});
