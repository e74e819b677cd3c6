import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadActionCatalogue } from '../../../src/adapters/iam-data/load-action-catalogue.js';
import { emptySnapshot, type AccountSnapshot, type ManagedPolicyDetail } from '../../../src/core/iam/account-snapshot.js';
import type { PermissionSetDetail } from '../../../src/core/identity-center/identity-center-state.js';
import type { PolicyDocument, PolicyStatement } from '../../../src/core/model.js';
import { snapshotPolicySource } from '../../../src/core/risk/permission-set-policies.js';
import { scorePermissionSet, UNREADABLE_POLICY_RULE } from '../../../src/core/risk/permission-set-risk.js';
import { RiskScorer } from '../../../src/core/risk/risk-scorer.js';
import { parseAccountSnapshot } from '../../../src/core/iam/parse-account-snapshot.js';
import { REPO_ROOT } from '../../helpers/cli.js';

let scorer: RiskScorer;
beforeAll(async () => {
  scorer = new RiskScorer(await loadActionCatalogue());
});

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const ADMIN = doc({ Effect: 'Allow', Action: '*', Resource: '*' });
const READ = doc({ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' });
const ADMIN_ARN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READ_ARN = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

const managed = (Arn: string, document: PolicyDocument, Path = '/'): ManagedPolicyDetail => ({
  PolicyName: Arn.split('/').pop()!,
  Arn,
  Path,
  PolicyVersionList: [{ Document: document, VersionId: 'v1', IsDefaultVersion: true }],
});
const account = (...Policies: ManagedPolicyDetail[]): AccountSnapshot => ({ ...emptySnapshot(), Policies });
const set = (fields: Partial<PermissionSetDetail>): PermissionSetDetail => ({ Name: 'Team', PermissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1', ...fields });

describe('scorePermissionSet', () => {
  it('scores an AWS managed policy from any account read-out of the run, each finding traced to it', () => {
    const source = snapshotPolicySource(new Map([['111122223333', account()], ['444455556666', account(managed(ADMIN_ARN, ADMIN))]]));
    const risk = scorePermissionSet(scorer, set({ AttachedManagedPolicies: [{ Name: 'AdministratorAccess', Arn: ADMIN_ARN }] }), source, { accounts: ['111122223333'] });
    expect(risk.score).toBe(100);
    expect(risk.findings[0]).toMatchObject({ rule: 'broad-access/administrator', from: [ADMIN_ARN] });
    expect(risk.findings.every((f) => f.from.length > 0)).toBe(true);
    expect(risk.findings.reduce((sum, f) => sum + f.points, 0)).toBe(risk.score);
    expect(risk.unresolved).toEqual([]);
    expect(risk.accounts).toEqual([{ account: '111122223333', score: 100 }]);
    expect(risk.privilegeEscalation).toBe(true);
  });

  it('an AWS managed policy no read-out carries is a finding of unknown risk in the top tier, not a zero', () => {
    const source = snapshotPolicySource(new Map([['111122223333', account()]]));
    const risk = scorePermissionSet(scorer, set({ AttachedManagedPolicies: [{ Arn: READ_ARN }] }), source);
    expect(risk.findings).toEqual([expect.objectContaining({ rule: UNREADABLE_POLICY_RULE, tier: 'administrator', from: [READ_ARN], points: 90 })]);
    expect(risk.score).toBe(90);
    expect(risk.unresolved).toEqual([`AWS managed policy ${READ_ARN} is in no account read-out of this run`]);
    const none = scorePermissionSet(scorer, set({ AttachedManagedPolicies: [{ Arn: READ_ARN }] }), snapshotPolicySource(new Map()));
    expect(none.unresolved[0]).toMatch(/no IAM account is read in this run/);
  });

  it('resolves customer managed references by name and path in each assigned account and reports the worst', () => {
    const source = snapshotPolicySource(
      new Map([
        ['111122223333', account(managed('arn:aws:iam::111122223333:policy/team/ops', READ, '/team/'))],
        ['444455556666', account(managed('arn:aws:iam::444455556666:policy/team/ops', ADMIN, '/team/'), managed('arn:aws:iam::444455556666:policy/ops', READ))],
      ]),
    );
    const ops = set({ CustomerManagedPolicyReferences: [{ Name: 'ops', Path: '/team/' }] });
    const risk = scorePermissionSet(scorer, ops, source, { accounts: ['444455556666', '111122223333'] });
    expect(risk.accounts).toEqual([
      { account: '111122223333', score: 15 },
      { account: '444455556666', score: 100 },
    ]);
    expect(risk).toMatchObject({ score: 100, account: '444455556666', policies: [{ ref: 'arn:aws:iam::444455556666:policy/team/ops', kind: 'customer-managed', account: '444455556666', score: 100 }] });

    // The path is part of the name: /ops is another policy.
    const root = scorePermissionSet(scorer, set({ CustomerManagedPolicyReferences: [{ Name: 'ops' }] }), source, { accounts: ['111122223333', '444455556666', '777788889999'] });
    expect(root.accounts).toEqual([
      { account: '111122223333', score: 90 },
      { account: '444455556666', score: 15 },
      { account: '777788889999', score: 90 },
    ]);
    expect(root.unresolved).toEqual(['customer managed policy /ops is not in account 111122223333', 'customer managed policy /ops in account 777788889999: that account is not read in this run']);
  });

  it('without accounts, customer managed references are unresolved and count as unknown', () => {
    const risk = scorePermissionSet(scorer, set({ InlinePolicy: READ, CustomerManagedPolicyReferences: [{ Name: 'ops' }] }), snapshotPolicySource(new Map()));
    expect(risk.findings.map((f) => f.rule)).toEqual([UNREADABLE_POLICY_RULE, 'data-exfiltration/read-data']);
    expect(risk.findings[1]!.from).toEqual(['inline:permission-set/Team']);
    expect(risk.unresolved[0]).toMatch(/scored for no account/);
  });

  it('a permissions boundary caps the policies; one that cannot be read is said, and the score is not capped', () => {
    const source = snapshotPolicySource(new Map([['111122223333', account(managed(READ_ARN, READ))]]));
    const capped = scorePermissionSet(scorer, set({ InlinePolicy: ADMIN, PermissionsBoundary: { ManagedPolicyArn: READ_ARN } }), source, { accounts: ['111122223333'] });
    expect(capped).toMatchObject({ score: 15, boundary: READ_ARN, unresolved: [] });
    expect(capped.findings.map((f) => f.rule)).toEqual(['data-exfiltration/read-data']);

    const unknown = scorePermissionSet(scorer, set({ InlinePolicy: ADMIN, PermissionsBoundary: { CustomerManagedPolicyReference: { Name: 'cap' } } }), source, { accounts: ['111122223333'] });
    expect(unknown.score).toBe(100);
    expect(unknown.boundary).toBeUndefined();
    expect(unknown.unresolved).toEqual(['permissions boundary not applied (the score may be too high): customer managed policy /cap is not in account 111122223333']);
  });

  it('a privilege-escalation path completed only by two policies together is traced to both', () => {
    const passRole = doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' });
    const runInstances = doc({ Effect: 'Allow', Action: 'ec2:RunInstances', Resource: '*' });
    const source = snapshotPolicySource(new Map([['111122223333', account(managed('arn:aws:iam::111122223333:policy/run', runInstances))]]));
    const risk = scorePermissionSet(scorer, set({ InlinePolicy: passRole, CustomerManagedPolicyReferences: [{ Name: 'run' }] }), source, { accounts: ['111122223333'] });
    const path = risk.findings.find((f) => f.rule === 'privilege-escalation/pass-role-to-ec2');
    expect(path?.from).toEqual(['inline:permission-set/Team', 'arn:aws:iam::111122223333:policy/run']);
    expect(risk.policies.map((p) => p.ref)).toEqual(['inline:permission-set/Team', 'arn:aws:iam::111122223333:policy/run']);
  });

  it('a set whose content is the same everywhere is scored once and carries that score to every account', () => {
    const risk = scorePermissionSet(scorer, set({ InlinePolicy: READ }), snapshotPolicySource(new Map()), { accounts: ['444455556666', '111122223333'] });
    expect(risk.accounts).toEqual([
      { account: '111122223333', score: 15 },
      { account: '444455556666', score: 15 },
    ]);
    expect(risk.services).toEqual(['s3']);
  });
});

describe('scorePermissionSet against a read-out written by another project (cloudsplaining\'s test data)', () => {
  const file = join(REPO_ROOT, 'test/fixtures/cloudsplaining/example-authz-details.json');
  const aws = (name: string) => ({ Arn: `arn:aws:iam::aws:policy/${name}` });

  it('ranks job-function sets built from the AWS managed policies it carries', () => {
    const source = snapshotPolicySource(new Map([['012345678901', parseAccountSnapshot(readFileSync(file, 'utf8'), file)]]));
    const score = (...names: string[]) => scorePermissionSet(scorer, set({ Name: names.join('+'), AttachedManagedPolicies: names.map(aws) }), source, { accounts: ['012345678901'] });
    const admin = score('AdministratorAccess');
    const powerUser = score('PowerUserAccess');
    const iam = score('IAMFullAccess');
    const audit = score('SecurityAudit');
    expect([admin, powerUser, iam, audit].flatMap((r) => r.unresolved)).toEqual([]);
    expect(admin.score).toBe(100);
    // IAMFullAccess can give itself anything: the administrator tier, by privilege escalation.
    expect(iam.findings[0]).toMatchObject({ tier: 'administrator', category: 'privilege-escalation', from: ['arn:aws:iam::aws:policy/IAMFullAccess'] });
    expect(powerUser.findings[0]!.tier).toBe('power-user');
    expect(audit.score).toBeLessThan(powerUser.score);
    // Two sets' policies together: IAMFullAccess's path is traced to it alone, not to S3.
    const both = score('AmazonS3ReadOnlyAccess', 'IAMFullAccess');
    expect(both.findings.find((f) => f.rule === 'privilege-escalation/create-policy-version')?.from).toEqual(['arn:aws:iam::aws:policy/IAMFullAccess']);
    expect(both.findings.find((f) => f.rule === 'data-exfiltration/read-data')?.from).toEqual(expect.arrayContaining(['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']));
  });
});
