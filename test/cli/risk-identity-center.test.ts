import { REPO_ROOT } from '../helpers/cli.js';
import { runBin } from '../helpers/bin.js';

/** The example organisation: two IAM accounts and an Identity Center instance, read from state files. */
const ORG = ['--dir', 'access', '--state', 'examples/aws-state.json', '--state', 'sso=examples/state/sso.json', '--now', '2026-11-24T00:00:00Z'];
const STAGING = ['--state', 'aws-staging=examples/state/aws-staging.json'];

interface SetJson {
  name: string;
  score: number;
  findings: { rule: string; points: number; from: string[] }[];
  unresolved: string[];
  accounts: { account: string; score: number }[];
}

describe('grantops risk: Identity Center permission sets', () => {
  it('scores each permission set from the policies the IAM accounts of the run hold, as JSON', async () => {
    const run = await runBin(['risk', ...ORG, ...STAGING, '--format', 'json'], REPO_ROOT);
    expect(run.err).toBe('');
    expect(run.code).toBe(0);
    const json = JSON.parse(run.out);
    expect(json.accounts.map((a: { system: string }) => a.system)).toEqual(['aws-prod', 'aws-staging']);
    const [sso] = json.identityCenter;
    expect(sso).toMatchObject({ system: 'sso', instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef' });
    const sets = new Map<string, SetJson>(sso.permissionSets.map((s: SetJson) => [s.name, s]));
    // AdministratorAccess's document is in aws-prod's read-out; ReadOnlyAccess's in aws-staging's.
    expect(sets.get('AdministratorAccess')).toMatchObject({ score: 100, accounts: [{ account: '111122223333', score: 100 }], unresolved: [] });
    expect(sets.get('AdministratorAccess')!.findings[0]).toMatchObject({ rule: 'broad-access/administrator', points: 90, from: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
    const readOnly = sets.get('ReadOnlyAccess')!;
    expect(readOnly.unresolved).toEqual([]);
    expect(readOnly.score).toBeLessThan(90);
    expect(readOnly.findings.map((f) => f.rule)).not.toContain('broad-access/unreadable-policy');
    // Billing's customer managed policy is not in account 111122223333: unknown, counted, said.
    expect(sets.get('Billing')).toMatchObject({ score: 90, unresolved: ['customer managed policy /billing-view is not in account 111122223333'] });
    expect(sets.get('Billing')!.findings[0]).toMatchObject({ rule: 'broad-access/unreadable-policy', from: ['customer-managed:/billing-view'] });
    expect(json.unreadable).toEqual([]);
    // Users and groups, by the worst their assignments let them become.
    expect(sso.principals.map((p: { kind: string; name: string; score: number }) => [p.kind, p.name, p.score])).toEqual([
      ['group', 'platform-admins', 100],
      ['user', 'george@vandelay.example', 90],
      ['user', 'jerry@vandelay.example', readOnly.score],
    ]);
  });

  it('prints each set with its policies and the policies each finding comes from', async () => {
    const run = await runBin(['risk', ...ORG, ...STAGING], REPO_ROOT);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^sso: Identity Center arn:aws:sso:::instance\/ssoins-1234567890abcdef, 3 permission sets/m);
    expect(run.out).toMatch(/^\s+100\s+AdministratorAccess \[1 group assignment in 111122223333\]\n\s+policy 100\s+arn:aws:iam::aws:policy\/AdministratorAccess \(aws-managed\)\n\s+\+90\s+broad-access\/administrator \(administrator\) from arn:aws:iam::aws:policy\/AdministratorAccess/m);
    expect(run.out).toMatch(/^Users and groups \(by what their assignments let them become\):\n\s+100\s+group platform-admins: AdministratorAccess in 111122223333$/m);
    expect(run.out).toMatch(/^\s+90\s+Billing .*\n\s+policy\s+0\s+inline:permission-set\/Billing \(inline\)\n\s+\+90\s+broad-access\/unreadable-policy .* from customer-managed:\/billing-view\n\s+not fully read: customer managed policy \/billing-view is not in account 111122223333/m);
  });

  it('reports a system it cannot read, exits 3, and still scores the others', async () => {
    const run = await runBin(['risk', ...ORG, '--state', 'aws-staging=examples/state/missing-state.json', '--format', 'json'], REPO_ROOT);
    expect(run.code).toBe(3);
    expect(run.err).toMatch(/grantops\.yaml:\d+:\d+ error risk\/system-unreachable system "aws-staging" could not be read, so it is not scored: state file .*missing-state\.json does not exist/);
    const json = JSON.parse(run.out);
    expect(json.accounts.map((a: { system: string }) => a.system)).toEqual(['aws-prod']);
    expect(json.unreadable).toEqual([expect.objectContaining({ rule: 'risk/system-unreachable' })]);
    // Without aws-staging, ReadOnlyAccess's document is in no read-out of the run: unknown, not zero.
    const readOnly = json.identityCenter[0].permissionSets.find((s: SetJson) => s.name === 'ReadOnlyAccess');
    expect(readOnly).toMatchObject({ score: 90, unresolved: ['AWS managed policy arn:aws:iam::aws:policy/ReadOnlyAccess is in no account read-out of this run'] });
  });
});
