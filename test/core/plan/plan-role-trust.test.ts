import type { AccountSnapshot } from '../../../src/core/iam/account-snapshot.js';
import { applyToSnapshot } from '../../../src/core/iam/apply-to-snapshot.js';
import { REVOKED_SESSIONS_POLICY, trustSid } from '../../../src/core/entitlements/role-trust.js';
import { loadAccessRepo } from '../../../src/core/load-access-repo.js';
import type { PolicyStatement } from '../../../src/core/model.js';
import { planIam } from '../../../src/core/plan/plan-iam.js';
import { ACCOUNT_ID, account } from '../../helpers/iam-account.js';
import { grantYaml, snapshot } from '../../helpers/repo.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const HANDMADE: PolicyStatement = { Sid: 'CiDeploy', Effect: 'Allow', Principal: { Service: 'codebuild.amazonaws.com' }, Action: 'sts:AssumeRole' };
const ROLE = 'deploy-prod';

function files(state: 'live' | 'expired' | 'renewed' | 'none'): Record<string, string> {
  const out: Record<string, string> = { 'access/resources/aws-prod/deploy-role.yaml': `id: deploy-role\nsystem: aws-prod\nsensitivity: low\nowners: [res-owner]\ngrants: { role: ${ROLE} }\n` };
  if (state === 'none') return out;
  const expires = state === 'renewed' ? '2026-11-30T00:00:00Z' : '2026-11-27T00:00:00Z';
  out['access/grants/dev/deploy-role.yaml'] = grantYaml({ user: 'dev', resource: 'deploy-role', reason: 'deploy', expires, approvalExpires: '2026-12-20T00:00:00Z', status: state === 'expired' ? 'expired' : 'active' });
  return out;
}

function withRole(statements: PolicyStatement[]): AccountSnapshot {
  const snap = account({ dev: {}, dev2: {} });
  snap.RoleDetailList.push({ RoleName: ROLE, Arn: `arn:aws:iam::${ACCOUNT_ID}:role/${ROLE}`, AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: statements } });
  return snap;
}

function plan(state: Parameters<typeof files>[0], snap: AccountSnapshot) {
  const { repo, diagnostics } = loadAccessRepo(snapshot(files(state)), NOW);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return planIam(repo, new Map([['aws-prod', snap]]), { now: NOW });
}

const trustOf = (snap: AccountSnapshot) => [snap.RoleDetailList[0]!.AssumeRolePolicyDocument!.Statement].flat();

describe('role grants', () => {
  it('adds one statement for the IAM user, ending at the grant\'s expiry and requiring the session to carry their name', () => {
    const result = plan('live', withRole([HANDMADE]));
    expect(result.problems).toEqual([]);
    expect(result.operations).toEqual([
      expect.objectContaining({
        action: 'add-role-trust-statement',
        principal: 'dev',
        target: ROLE,
        document: {
          Version: '2012-10-17',
          Statement: [{
            Sid: trustSid('dev'),
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:user/dev` },
            Action: 'sts:AssumeRole',
            Condition: { DateLessThan: { 'aws:CurrentTime': '2026-11-27T00:00:00Z' }, StringEquals: { 'sts:RoleSessionName': 'dev' } },
          }],
        },
      }),
    ]);
  });

  it('applied, the trust policy keeps the statements grantops did not write; a renewal moves the end date', () => {
    const snap = withRole([HANDMADE]);
    for (const op of plan('live', snap).operations) expect(applyToSnapshot(snap, op)).toBeUndefined();
    expect(trustOf(snap).map((s) => s.Sid)).toEqual(['CiDeploy', trustSid('dev')]);
    expect(plan('live', snap).operations).toEqual([]);

    const renewal = plan('renewed', snap).operations;
    expect(renewal).toEqual([expect.objectContaining({ action: 'add-role-trust-statement', reason: expect.stringMatching(/its end moved/) })]);
    applyToSnapshot(snap, renewal[0]!);
    expect(trustOf(snap)).toHaveLength(2);
    expect(trustOf(snap)[1]!.Condition!.DateLessThan).toEqual({ 'aws:CurrentTime': '2026-11-30T00:00:00Z' });
  });

  it('revoking removes the statement and ends the sessions the user started before now', () => {
    const snap = withRole([HANDMADE]);
    for (const op of plan('live', snap).operations) applyToSnapshot(snap, op);
    const revoke = plan('expired', snap).operations;
    expect(revoke).toEqual([expect.objectContaining({ action: 'remove-role-trust-statement', principal: 'dev', grant: 'access/grants/dev/deploy-role.yaml', reason: expect.stringMatching(/ends the live sessions of the role/) })]);
    expect(revoke[0]!.document!.Statement).toEqual([
      { Sid: expect.stringMatching(/^grantopsRevoke/), Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringLike: { 'aws:userid': '*:dev' }, DateLessThan: { 'aws:TokenIssueTime': NOW.toISOString() } } },
    ]);
    applyToSnapshot(snap, revoke[0]!);
    expect(trustOf(snap)).toEqual([HANDMADE]);
    expect(snap.RoleDetailList[0]!.RolePolicyList).toEqual([{ PolicyName: REVOKED_SESSIONS_POLICY, PolicyDocument: { Version: '2012-10-17', Statement: revoke[0]!.document!.Statement } }]);
    expect(plan('expired', snap).operations).toEqual([]);
  });

  it('a statement grantops wrote with no live grant behind it is drift it removes; others are never touched', () => {
    const orphan: PolicyStatement = { Sid: trustSid('dev2'), Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:user/dev2` }, Action: 'sts:AssumeRole' };
    const lookalike: PolicyStatement = { Sid: 'GrantopsLike', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:user/dev` }, Action: 'sts:AssumeRole' };
    const result = plan('none', withRole([HANDMADE, orphan, lookalike]));
    expect(result.operations).toEqual([expect.objectContaining({ action: 'remove-role-trust-statement', principal: 'dev2', drift: true })]);
  });

  it('a role that does not exist is a problem at the grant', () => {
    expect(plan('live', account({ dev: {} })).problems).toEqual([expect.objectContaining({ rule: 'plan/unknown-role', file: 'access/grants/dev/deploy-role.yaml' })]);
  });
});
