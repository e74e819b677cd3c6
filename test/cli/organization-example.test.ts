import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const NOW = ['--now', '2026-11-24T00:00:00Z'];
const DIR = ['--dir', 'examples/organization/access'];
const STATES = ['--state', 'examples/aws-state.json', '--state', 'aws-staging=examples/organization/aws-staging-state.json', '--state', 'sso=examples/organization/sso-state.json'];

describe('the example organisation with two accounts and Identity Center (file provider)', () => {
  it('lists its systems as a GitHub Actions matrix', async () => {
    const run = await runCli(['systems', ...DIR, '--format', 'json'], REPO_ROOT);
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
      cpSync(join(REPO_ROOT, 'examples'), join(root, 'examples'), { recursive: true });
      // A clone: plan reads the branch's history to know whom it may take access from.
      const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: root, stdio: 'ignore' });
      git('init', '-q', '-b', 'main');
      git('add', '-A');
      git('commit', '-q', '-m', 'the example organisation');
      const plan = await runCli(['plan', ...DIR, ...STATES, ...NOW, '--format', 'json'], root);
      expect(plan.code).toBe(0);
      const ops = (JSON.parse(plan.out) as { operations: { system: string; action: string; principal: string; target: string; account?: string }[] }).operations;
      expect(ops.filter((o) => o.system !== 'aws-prod').map((o) => `${o.system} ${o.action} ${o.principal} ${o.target} ${o.account ?? ''}`.trim())).toEqual([
        'aws-staging add-role-trust-statement david.puddy deploy-staging',
        'sso create-account-assignment jerry@vandelay.example ReadOnlyAccess 444455556666',
      ]);
      const apply = await runCli(['apply', ...DIR, ...STATES, ...NOW], root);
      expect(apply.code).toBe(0);
      const sso = JSON.parse(readFileSync(join(root, 'examples/organization/sso-state.json'), 'utf8')) as { Instance: unknown; AccountAssignments: { AccountId: string }[]; UserDetailList?: unknown };
      expect(sso.UserDetailList).toBeUndefined();
      expect(sso.AccountAssignments.map((a) => a.AccountId)).toContain('444455556666');
      const again = await runCli(['plan', ...DIR, ...STATES, ...NOW], root);
      expect(again.out).toBe("No changes: aws-prod, aws-staging, sso match the repository.");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
