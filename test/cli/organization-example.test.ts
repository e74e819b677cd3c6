import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const NOW = ['--now', '2026-11-24T00:00:00Z'];

// access/ is the organisation: two accounts and Identity Center, each system with its own state file
// (examples/aws-state.json for aws-prod, examples/state/<system>.json for the others), so no --state is needed.
describe('the example organisation with two accounts and Identity Center (file provider)', () => {
  it('lists its systems as a GitHub Actions matrix', async () => {
    const run = await runCli(['systems', '--format', 'json'], REPO_ROOT);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({
      include: [
        { system: 'aws-prod', type: 'aws', accountId: '111122223333', region: 'us-east-1' },
        { system: 'aws-staging', type: 'aws', accountId: '444455556666', region: 'us-east-1' },
        { system: 'sso', type: 'aws-identity-center', instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef', region: 'us-east-1' },
      ],
    });
  });

  it('plans and applies all three systems from a fresh clone, then has nothing left to do', async () => {
    const root = mkdtempSync(join(tmpdir(), 'grantops-org-'));
    try {
      for (const dir of ['access', 'examples']) cpSync(join(REPO_ROOT, dir), join(root, dir), { recursive: true });
      // A clone: plan reads the branch's history to know whom it may take access from.
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: root, stdio: 'ignore' });
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-q', '-m', 'the example organisation');
      const plan = await runCli(['plan', ...NOW, '--format', 'json'], root);
      expect(plan.code).toBe(0);
      const ops = (JSON.parse(plan.out) as { operations: { system: string; action: string; principal: string; target: string; account?: string }[] }).operations;
      expect(ops.filter((o) => o.system !== 'aws-prod').map((o) => `${o.system} ${o.action} ${o.principal} ${o.target} ${o.account ?? ''}`.trim())).toEqual([
        'aws-staging add-role-trust-statement david.puddy deploy-staging',
        'sso create-account-assignment jerry@vandelay.example ReadOnlyAccess 444455556666',
      ]);
      const apply = await runCli(['apply', ...NOW], root);
      expect(apply.code).toBe(0);
      const sso = JSON.parse(readFileSync(join(root, 'examples/state/sso.json'), 'utf8')) as { Instance: unknown; AccountAssignments: { AccountId: string }[]; UserDetailList?: unknown };
      expect(sso.UserDetailList).toBeUndefined();
      expect(sso.AccountAssignments.map((a) => a.AccountId)).toContain('444455556666');
      const staging = JSON.parse(readFileSync(join(root, 'examples/state/aws-staging.json'), 'utf8')) as { RoleDetailList: { AssumeRolePolicyDocument: { Statement: { Principal?: { AWS?: string }; Condition?: unknown }[] } }[] };
      expect(staging.RoleDetailList[0]!.AssumeRolePolicyDocument.Statement.find((st) => st.Principal?.AWS === 'arn:aws:iam::444455556666:user/david.puddy')?.Condition).toMatchObject({ DateLessThan: { 'aws:CurrentTime': '2026-12-12T00:00:00Z' } });
      const again = await runCli(['plan', ...NOW], root);
      expect(again.out).toBe("No changes: aws-prod, aws-staging, sso match the repository.");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reads --state FILE as the first aws system\'s state, and refuses a system with no state at its line of grantops.yaml while planning the others', async () => {
    const root = mkdtempSync(join(tmpdir(), 'grantops-org-'));
    try {
      for (const dir of ['access', 'examples']) cpSync(join(REPO_ROOT, dir), join(root, dir), { recursive: true });
      const named = await runCli(['plan', '--state', 'examples/aws-state.json', ...NOW, '--format', 'json'], root);
      expect([named.code, (JSON.parse(named.out) as { operations: { system: string }[] }).operations.map((o) => o.system)]).toEqual([0, ['aws-prod', 'aws-prod', 'aws-prod', 'aws-staging', 'sso']]);
      rmSync(join(root, 'examples/state/aws-staging.json'));
      const plan = await runCli(['plan', ...NOW], root);
      expect(plan.code).toBe(2);
      expect(plan.out).toContain('access/grantops.yaml:26:16 error plan/system-unreachable system "aws-staging" could not be read, so nothing is applied to it: no state for system "aws-staging": examples/state/aws-staging.json does not exist (give one with --state aws-staging=FILE)');
      expect(plan.out).toContain('+ sso create-account-assignment jerry@vandelay.example ReadOnlyAccess in 444455556666');
      expect(plan.out).not.toContain('aws-staging add-role-trust-statement');
      // apply carries out the others and leaves the system without a state alone.
      const apply = await runCli(['apply', ...NOW], root);
      expect(apply.code).not.toBe(0);
      expect(readFileSync(join(root, 'examples/state/sso.json'), 'utf8')).toContain('444455556666');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
