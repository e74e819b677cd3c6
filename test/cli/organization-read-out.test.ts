import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBin } from '../helpers/bin.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

/**
 * The read-out commands on the example organisation (two accounts and an Identity Center instance, file
 * provider), run as a user runs `grantops`: inventory and report show the instance's assignments, import
 * adopts them, and a system that cannot be read is reported at its entry while the others are read out.
 */
const NOW = ['--now', '2026-11-24T00:00:00Z'];
const DIR: string[] = [];
// The accounts' states are the example's own (examples/aws-state.json, examples/state/aws-staging.json).
const IAM: string[] = [];
const SSO = 'sso=examples/state/sso.json';
/** Where grantops.yaml names the instance: `FILE:LINE`, the line read from the example itself. */
const SSO_ENTRY = `access/grantops.yaml:${readFileSync(join(REPO_ROOT, 'access/grantops.yaml'), 'utf8').split('\n').findIndex((l) => l.startsWith('  sso:')) + 1}`;

// The first command runs as the process a user starts; the others in-process through the same `main`,
// since what they assert is the read-out, not the process (decision 0057).
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'grantops-org-readout-'));
  for (const dir of ['access', 'examples']) cpSync(join(REPO_ROOT, dir), join(root, dir), { recursive: true });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

type Assignment = { user: string; principalType?: string; target: string; account: string; status: string; person?: string; grants: string[]; resources: string[] };
type Report = { system: string; type: string; users: unknown[]; unmanaged: Assignment[]; recommendations: { rule: string; subject: string }[]; identityCenter?: { users: { name: string; person?: string; assignments: Assignment[] }[]; groups: { name: string; assignments: Assignment[] }[]; permissionSets: Record<string, unknown>[] } };

/** The example instance, grown: people's assignments nobody granted, and one of someone people.yaml does not know. */
function growInstance(): void {
  const path = join(root, 'examples/state/sso.json');
  const state = JSON.parse(readFileSync(path, 'utf8')) as { Users: object[]; PermissionSets: { Name: string; PermissionSetArn: string }[]; AccountAssignments: object[] };
  state.Users.push({ UserId: '90670009-aaaa-bbbb-cccc-000000000009', UserName: 'bob.sacamano@vandelay.example', DisplayName: 'Bob Sacamano' });
  const arn = (name: string) => state.PermissionSets.find((p) => p.Name === name)!.PermissionSetArn;
  const assign = (user: string, set: string, account: string) => state.AccountAssignments.push({ AccountId: account, PermissionSetArn: arn(set), PrincipalType: 'USER', PrincipalId: user });
  assign('90670003-aaaa-bbbb-cccc-000000000003', 'ReadOnlyAccess', '111122223333'); // kramer, in both accounts read-only names
  assign('90670003-aaaa-bbbb-cccc-000000000003', 'ReadOnlyAccess', '444455556666');
  assign('90670001-aaaa-bbbb-cccc-000000000001', 'AdministratorAccess', '111122223333'); // elaine, in one of prod-admin's two
  assign('90670009-aaaa-bbbb-cccc-000000000009', 'AdministratorAccess', '444455556666'); // bob: left, or never added
  writeFileSync(path, JSON.stringify(state, null, 2));
}

describe('read-out of the example organisation (grantops as a process, file provider)', () => {
  it('inventory explains each Identity Center assignment and lists the permission sets; the accounts read as before', async () => {
    growInstance();
    const run = await runBin(['inventory', ...DIR, ...IAM, '--state', SSO, ...NOW, '--format', 'json'], root);
    expect(run).toMatchObject({ code: 0, err: '' });
    const reports = (JSON.parse(run.out) as { systems: Report[] }).systems;
    expect(reports.map((r) => `${r.system} ${r.type}`)).toEqual(['aws-prod aws', 'aws-staging aws', 'sso aws-identity-center']);
    expect(reports[0]!.users.length).toBeGreaterThan(0);
    const sso = reports[2]!;
    expect(sso.users).toEqual([]);
    const ic = sso.identityCenter!;
    const line = (a: Assignment) => `${a.principalType ?? 'user'} ${a.user}${a.person ? ` (${a.person})` : ''} ${a.target}@${a.account} ${a.status}${a.resources.length > 0 ? ` [${a.resources.join(',')}]` : ''}`;
    expect([...ic.users, ...ic.groups].flatMap((p) => p.assignments).map(line)).toEqual([
      'user elaine@vandelay.example (elaine) AdministratorAccess@111122223333 unmanaged [prod-admin]',
      'user jerry@vandelay.example (jerry) ReadOnlyAccess@111122223333 granted [read-only]',
      'user kramer@vandelay.example (kramer) ReadOnlyAccess@111122223333 unmanaged [read-only]',
      'user kramer@vandelay.example (kramer) ReadOnlyAccess@444455556666 unmanaged [read-only]',
      'user george@vandelay.example (george) Billing@111122223333 unmanaged',
      'user bob.sacamano@vandelay.example AdministratorAccess@444455556666 unmanaged [prod-admin]',
      'group platform-admins AdministratorAccess@111122223333 unmanaged [prod-admin]',
    ]);
    expect(ic.permissionSets.find((p) => p.name === 'Billing')).toMatchObject({ customerManagedPolicies: ['/billing-view'], inlinePolicy: { Statement: [{ Action: ['aws-portal:View*', 'ce:Get*'] }] }, awsManagedPolicies: [], resources: [] });
    expect(ic.permissionSets.find((p) => p.name === 'AdministratorAccess')).toMatchObject({ awsManagedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'], accounts: ['111122223333', '444455556666'], assignments: 3, resources: ['prod-admin'] });
    // Permission sets are scored like policies, their AWS managed policies found in the accounts read beside the instance.
    expect(ic.permissionSets.map((p) => `${p.name} ${(p.risk as { score: number }).score}`)).toEqual(['AdministratorAccess 100', 'ReadOnlyAccess 72', 'Billing 90']);
    expect(sso.recommendations.filter((r) => r.rule === 'resource/sensitivity-below-risk').map((r) => r.subject)).toEqual([
      'access/resources/sso/prod-admin.yaml',
      'access/resources/sso/read-only.yaml',
    ]);
    expect(sso.recommendations.filter((r) => r.rule === 'access/no-person')).toEqual([expect.objectContaining({ subject: 'user/bob.sacamano@vandelay.example' })]);
    expect(sso.recommendations.filter((r) => r.rule === 'access/no-expiry').map((r) => r.subject)).not.toContain('user/bob.sacamano@vandelay.example');

    const md = await runCli(['inventory', ...DIR, '--state', SSO, '--system', 'sso', ...NOW], root);
    expect(md.out).toMatch(/^# Identity Center inventory: sso$/m);
    // Read alone, the instance has no account to find billing-view in: a policy that cannot be read is unknown risk, scored high.
    expect(md.out).toContain('| Billing | 90 (broad-access) | customer-managed /billing-view, inline policy | PT1H | 111122223333 | 1 | none (unmanaged) |');
    expect(md.out).toContain('- group platform-admins: AdministratorAccess@111122223333 (**unmanaged**)');
  });

  it('a system that cannot be read is reported at its entry in grantops.yaml; the others are read out, and the run fails', async () => {
    const missing = await runCli(['inventory', ...DIR, ...IAM, '--state', 'sso=examples/state/no-such-state.json', ...NOW, '--format', 'json'], root);
    expect(missing.code).toBe(2);
    expect((JSON.parse(missing.out) as { systems: Report[] }).systems.map((r) => r.system)).toEqual(['aws-prod', 'aws-staging']);
    expect(missing.err).toMatch(new RegExp(`^${SSO_ENTRY}:\\d+ error plan/system-unreachable system "sso" could not be read, so it is left out of this read-out: state file .*no-such-state.json does not exist`, 'm'));

    // The instance's state given for an account, and the staging account's for the instance.
    const crossed = await runCli(['inventory', ...DIR, '--state', 'aws-staging=examples/state/sso.json', '--state', 'sso=examples/state/aws-staging.json', ...NOW, '--format', 'json'], root);
    expect(crossed.code).toBe(2);
    expect((JSON.parse(crossed.out) as { systems: Report[] }).systems.map((r) => r.system)).toEqual(['aws-prod']);
    expect(crossed.err).toMatch(/grantops\.yaml:\d+:\d+ error plan\/wrong-account system "aws-staging" is an IAM account, but the state read is an Identity Center instance; refusing to read it out/);
    expect(crossed.err).toMatch(/grantops\.yaml:\d+:\d+ error plan\/wrong-account system "sso" is an Identity Center instance, but the state read is an IAM account; refusing to read it out/);

    // The report is still written, names what it could not read, and the run fails.
    const report = await runCli(['report', '--html', 'report.html', ...DIR, ...IAM, '--state', 'sso=examples/state/no-such-state.json', ...NOW], root);
    expect(report.code).toBe(2);
    expect(report.err).toMatch(new RegExp(`^${SSO_ENTRY}:\\d+ error plan/system-unreachable`, 'm'));
    const html = readFileSync(join(root, 'report.html'), 'utf8');
    expect(html).toContain('<p class="warn-line unread" data-system="sso">Not read, so not on this page: system &quot;sso&quot; could not be read');
    expect(html).toContain('accounts read: aws-prod, aws-staging</p>');
  });

  it('import --system sso adopts people\'s assignments (never wider than held), validates, and leaves plan nothing new to do', async () => {
    growInstance();
    const before = await runCli(['plan', ...DIR, '--state', SSO, '--system', 'sso', ...NOW, '--format', 'json'], root);
    const run = await runCli(['import', '--out', 'access', '--system', 'sso', '--state', SSO, ...NOW], root);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out.split('\n').slice(0, 4)).toEqual([
      'imported into access: 0 people, 2 resources, 3 grants (5 files written)',
      '  + access/grants/elaine/administrator-access.yaml (until 2026-11-25T00:00:00Z)',
      '  + access/grants/george/billing.yaml (until 2026-11-25T00:00:00Z)',
      '  + access/grants/kramer/read-only.yaml (until 2026-12-24T00:00:00Z)',
    ]);
    expect(run.out).toMatch(/- user\/bob\.sacamano@vandelay\.example: permission set AdministratorAccess in account 444455556666: nobody in people\.yaml is this Identity Center user/);
    expect(run.out).toMatch(/- group\/platform-admins: permission set AdministratorAccess in account 111122223333: grantops grants to people, not groups/);
    const read = (path: string) => readFileSync(join(root, 'access', path), 'utf8');
    // Elaine holds AdministratorAccess in one of prod-admin's two accounts: a resource of her own account, not prod-admin.
    expect(read('resources/sso/administrator-access.yaml')).toMatch(/^grants: \{ permissionSet: AdministratorAccess, accounts: \[ "111122223333" \] \}$/m);
    expect(read('resources/sso/administrator-access.yaml')).toMatch(/^sensitivity: critical$/m);
    // Kramer holds ReadOnlyAccess exactly where read-only gives it: the existing resource is granted.
    expect(read('grants/kramer/read-only.yaml')).toMatch(/^user: kramer\nresource: read-only\nreason: imported\n/m);

    expect(await runCli(['validate', ...DIR, ...NOW], root)).toMatchObject({ code: 0 });
    const after = await runCli(['plan', ...DIR, '--state', SSO, '--system', 'sso', ...NOW, '--format', 'json'], root);
    expect(JSON.parse(after.out).operations).toEqual(JSON.parse(before.out).operations);
    const again = await runCli(['import', '--out', 'access', '--system', 'sso', '--state', SSO, ...NOW], root);
    expect(again.out).toMatch(/^imported into access: 0 people, 0 resources, 0 grants \(0 files written\)/);
  });

  it('import refuses an instance grantops.yaml does not name, and a system read from elsewhere, writing nothing', async () => {
    const grants = () => readFileSync(join(root, 'access/grantops.yaml'), 'utf8');
    const was = grants();
    const unknown = await runCli(['import', '--out', 'access', '--system', 'sso-eu', '--state', 'sso-eu=examples/state/sso.json', ...NOW], root);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/error import\/unknown-system the state read is an Identity Center instance: add it to grantops\.yaml as system "sso-eu"/);
    expect(unknown.err).toMatch(/nothing was written/);
    const foreign = await runCli(['import', '--out', 'access', '--system', 'sso', '--state', 'sso=examples/state/aws-staging.json', ...NOW], root);
    expect(foreign.code).toBe(2);
    expect(foreign.err).toMatch(new RegExp(`^${SSO_ENTRY}:\\d+ error plan/wrong-account system "sso" is an Identity Center instance, but the state read is an IAM account; refusing to import it`, 'm'));
    expect(grants()).toBe(was);
  });
});
