import { loadAccessRepo } from '../../../src/core/load-access-repo.js';
import type { AccountSnapshot } from '../../../src/core/iam/account-snapshot.js';
import { applyToSnapshot } from '../../../src/core/iam/apply-to-snapshot.js';
import { planIam } from '../../../src/core/plan/plan-iam.js';
import { awsCliCommand } from '../../../src/core/manual-issue.js';
import { IDENTITY_STORE_ID, INSTANCE_ARN, identityCenterSnapshot, permissionSetArn, userId } from '../../helpers/identity-center.js';
import { ORG, grantYaml, snapshot } from '../../helpers/repo.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const A = '111122223333';
const B = '444455556666';
const ORG_WITH_SSO = `${ORG}  sso: { type: aws-identity-center, instanceArn: "${INSTANCE_ARN}", identityStoreId: ${IDENTITY_STORE_ID}, region: us-east-1 }\n`;
const PEOPLE = `- { login: owner, name: Org Owner, roles: [executive], email: owner@example.com }
- { login: mgr, name: Manager, manager: owner, email: mgr@example.com }
- { login: dev, name: Developer, manager: mgr, email: dev@example.com }
- { login: dev2, name: Developer Two, manager: mgr, email: dev2@example.com, aws: { identityCenterUser: d2 } }
- { login: res-owner, name: Resource Owner, manager: owner, email: ro@example.com }
`;

function ssoResource(id: string, set: string, accounts: string[], extra = ''): Record<string, string> {
  return { [`access/resources/sso/${id}.yaml`]: `id: ${id}\nsystem: sso\nsensitivity: low\nowners: [res-owner]\n${extra}grants: { permissionSet: ${set}, accounts: [${accounts.map((a) => `"${a}"`).join(', ')}] }\n` };
}

function grant(user: string, resource: string, state: 'live' | 'expired' = 'live'): Record<string, string> {
  return { [`access/grants/${user}/${resource}.yaml`]: grantYaml({ user, resource, reason: 'work', expires: '2026-11-27T00:00:00Z', approvalExpires: '2026-12-20T00:00:00Z', status: state === 'expired' ? 'expired' : 'active' }) };
}

const RESOURCES = { ...ssoResource('admin', 'AdministratorAccess', [A, B]), ...ssoResource('read', 'ReadOnly', [A]) };

function plan(files: Record<string, string>, snap: AccountSnapshot) {
  const { repo, diagnostics } = loadAccessRepo(snapshot({ 'access/grantops.yaml': ORG_WITH_SSO, 'access/people.yaml': PEOPLE, ...RESOURCES, ...files }), NOW);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return planIam(repo, new Map([['sso', snap]]), { now: NOW });
}

const brief = (ops: { action: string; principal: string; target: string; account?: string }[]) => ops.map((op) => `${op.action} ${op.principal} ${op.target} ${op.account}`);
const USERS = ['dev@example.com', 'd2', 'mgr@example.com'];
const SETS = ['AdministratorAccess', 'ReadOnly', 'Billing'];

describe('planIam on an Identity Center system', () => {
  const cases: { name: string; files: Record<string, string>; assignments?: string[]; groupAssignments?: string[]; operations: string[] }[] = [
    {
      name: 'one assignment per listed account, the person found by their email',
      files: grant('dev', 'admin'),
      operations: [`create-account-assignment dev@example.com AdministratorAccess ${A}`, `create-account-assignment dev@example.com AdministratorAccess ${B}`],
    },
    { name: 'aws.identityCenterUser names the user when set', files: grant('dev2', 'read'), operations: [`create-account-assignment d2 ReadOnly ${A}`] },
    {
      name: 'creates only the assignment that is missing (a duplicate held twice counts once)',
      files: grant('dev', 'admin'),
      assignments: [`dev@example.com AdministratorAccess ${A}`, `dev@example.com AdministratorAccess ${A}`],
      operations: [`create-account-assignment dev@example.com AdministratorAccess ${B}`],
    },
    {
      name: 'an expired grant deletes its assignment in every account',
      files: grant('dev', 'admin', 'expired'),
      assignments: [`dev@example.com AdministratorAccess ${A}`, `dev@example.com AdministratorAccess ${B}`],
      operations: [`delete-account-assignment dev@example.com AdministratorAccess ${A}`, `delete-account-assignment dev@example.com AdministratorAccess ${B}`],
    },
    {
      name: 'shared coverage: an assignment another live grant still gives is kept',
      files: { ...ssoResource('admin-a', 'AdministratorAccess', [A]), ...grant('dev', 'admin', 'expired'), ...grant('dev', 'admin-a') },
      assignments: [`dev@example.com AdministratorAccess ${A}`, `dev@example.com AdministratorAccess ${B}`],
      operations: [`delete-account-assignment dev@example.com AdministratorAccess ${B}`],
    },
    {
      name: 'non-exclusive: assignments nobody here granted are left alone',
      files: grant('dev', 'read'),
      assignments: [`mgr@example.com ReadOnly ${A}`, `dev@example.com ReadOnly ${A}`],
      operations: [],
    },
    {
      name: 'exclusive: user assignments nobody granted are drift and deleted; group assignments are never touched',
      files: { ...ssoResource('read', 'ReadOnly', [A], 'exclusive: true\n'), ...grant('dev', 'read') },
      assignments: [`mgr@example.com ReadOnly ${A}`, `dev@example.com ReadOnly ${A}`, `mgr@example.com ReadOnly ${B}`],
      groupAssignments: [`ReadOnly ${A}`],
      operations: [`delete-account-assignment mgr@example.com ReadOnly ${A}`],
    },
    {
      name: 'assignments of a permission set no resource declares are never touched',
      files: {},
      assignments: [`mgr@example.com Billing ${A}`, `dev@example.com Billing ${B}`],
      operations: [],
    },
  ];

  it.each(cases)('$name', ({ files, assignments, groupAssignments, operations }) => {
    const result = plan(files, identityCenterSnapshot({ users: USERS, permissionSets: SETS, assignments, groupAssignments }));
    expect(result.problems).toEqual([]);
    expect(brief(result.operations)).toEqual(operations);
  });

  it('carries the ids apply needs, so applying reads nothing more; the manual steps name them', () => {
    const [op] = plan(grant('dev', 'read'), identityCenterSnapshot({ users: USERS, permissionSets: SETS })).operations;
    expect(op).toMatchObject({ system: 'sso', account: A, refs: { instanceArn: INSTANCE_ARN, permissionSetArn: permissionSetArn('ReadOnly'), principalId: userId('dev@example.com') }, grant: 'access/grants/dev/read.yaml' });
    expect(awsCliCommand(op!)).toBe(
      `aws sso-admin create-account-assignment --instance-arn '${INSTANCE_ARN}' --target-type AWS_ACCOUNT --target-id '${A}' --permission-set-arn '${permissionSetArn('ReadOnly')}' --principal-type USER --principal-id '${userId('dev@example.com')}'`,
    );
  });

  it('applying the plan to the state converges: planning again finds nothing to do', () => {
    const snap = identityCenterSnapshot({ users: USERS, permissionSets: SETS, assignments: [`dev@example.com ReadOnly ${A}`] });
    const files = { ...grant('dev', 'admin'), ...grant('dev', 'read', 'expired') };
    const first = plan(files, snap);
    expect(first.operations).toHaveLength(3);
    for (const op of first.operations) expect(applyToSnapshot(snap, op)).toBeUndefined();
    expect(snap.IdentityCenter!.AccountAssignments).toHaveLength(2);
    expect(plan(files, snap).operations).toEqual([]);
  });

  it.each([
    { name: 'a permission set that does not exist', files: { ...ssoResource('gone', 'Gone', [A]), ...grant('dev', 'gone') }, rule: 'plan/unknown-permission-set', message: /permission set "Gone" does not exist/ },
    { name: 'a person missing from the identity store', files: grant('owner', 'read'), rule: 'plan/unknown-iam-user', message: /Identity Center user "owner@example.com" does not exist/ },
  ])('fails on $name, located at the grant', ({ files, rule, message }) => {
    const result = plan(files, identityCenterSnapshot({ users: USERS, permissionSets: SETS }));
    expect(result.problems).toEqual([expect.objectContaining({ rule, severity: 'error', file: expect.stringMatching(/^access\/grants\//), message: expect.stringMatching(message) })]);
    expect(result.operations).toEqual([]);
  });

  it('refuses a state of another instance, and an IAM account state, for the system', () => {
    const other = identityCenterSnapshot({ users: USERS, permissionSets: SETS });
    other.IdentityCenter!.Instance.InstanceArn = 'arn:aws:sso:::instance/ssoins-ffffffffffffffff';
    expect(plan(grant('dev', 'read'), other).problems).toEqual([expect.objectContaining({ rule: 'plan/wrong-account', file: 'access/grantops.yaml', message: expect.stringMatching(/is instance .* but the state read is instance .*ffff/) })]);
    const iam = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
    expect(plan(grant('dev', 'read'), iam).problems).toEqual([expect.objectContaining({ rule: 'plan/wrong-account' })]);
  });
});

describe('validating Identity Center resources and systems', () => {
  const load = (files: Record<string, string>) => loadAccessRepo(snapshot({ 'access/grantops.yaml': ORG_WITH_SSO, 'access/people.yaml': PEOPLE, ...files }), NOW).diagnostics.filter((d) => d.severity === 'error');

  it('refuses a permission set in an aws system and a managed policy in an Identity Center system', () => {
    const wrong = {
      'access/resources/aws-prod/ps.yaml': `id: ps\nsystem: aws-prod\nsensitivity: low\nowners: [res-owner]\ngrants: { permissionSet: ReadOnly, accounts: ["${A}"] }\n`,
      'access/resources/sso/pol.yaml': `id: pol\nsystem: sso\nsensitivity: low\nowners: [res-owner]\ngrants: { managedPolicy: "arn:aws:iam::aws:policy/ReadOnlyAccess" }\n`,
    };
    expect(load(wrong).map((d) => `${d.file} ${d.rule}`).sort()).toEqual(['access/resources/aws-prod/ps.yaml resource/kind-not-in-system', 'access/resources/sso/pol.yaml resource/kind-not-in-system']);
  });

  it('refuses a permission set without accounts, and two kinds in one grants block, with one clear error each', () => {
    const errors = load({
      'access/resources/sso/a.yaml': 'id: a\nsystem: sso\nowners: [res-owner]\ngrants: { permissionSet: ReadOnly }\n',
      'access/resources/sso/b.yaml': `id: b\nsystem: sso\nowners: [res-owner]\ngrants: { permissionSet: ReadOnly, accounts: ["${A}"], role: x }\n`,
    });
    expect(errors.map((d) => `${d.file}:${d.line} ${d.rule}`).sort()).toEqual(['access/resources/sso/a.yaml:4 schema/grants-kind', 'access/resources/sso/b.yaml:4 schema/grants-kind']);
  });

  it('refuses a field of the other system type, and an Identity Center system without its instance', () => {
    const org = `${ORG}  sso: { type: aws-identity-center, identityStoreId: ${IDENTITY_STORE_ID}, accountId: "${A}" }\n`;
    const errors = loadAccessRepo(snapshot({ 'access/grantops.yaml': org, 'access/people.yaml': PEOPLE }), NOW).diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => d.rule).sort()).toEqual(['schema/required']);
    expect(errors[0]!.message).toMatch(/instanceArn/);
    const withBoth = `${ORG}  sso: { type: aws-identity-center, instanceArn: "${INSTANCE_ARN}", identityStoreId: ${IDENTITY_STORE_ID}, accountId: "${A}" }\n`;
    const second = loadAccessRepo(snapshot({ 'access/grantops.yaml': withBoth, 'access/people.yaml': PEOPLE }), NOW).diagnostics.filter((d) => d.severity === 'error');
    expect(second).toEqual([expect.objectContaining({ rule: 'system/field-of-other-type', file: 'access/grantops.yaml', message: expect.stringMatching(/"accountId" is not a field of a system of type aws-identity-center/) })]);
  });

  it('a grant needs a way to find the person in Identity Center', () => {
    const people = `${PEOPLE}- { login: nomail, name: No Mail, manager: mgr }\n`;
    const errors = loadAccessRepo(snapshot({ 'access/grantops.yaml': ORG_WITH_SSO, 'access/people.yaml': people, ...RESOURCES, ...grant('nomail', 'read') }), NOW).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ rule: 'grant/no-aws-user', message: expect.stringMatching(/neither aws.identityCenterUser nor an email/) })]);
  });
});
