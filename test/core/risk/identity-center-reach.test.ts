import { loadActionCatalogue } from '../../../src/adapters/iam-data/load-action-catalogue.js';
import { emptySnapshot, type AccountSnapshot } from '../../../src/core/iam/account-snapshot.js';
import { emptyIdentityCenterState, type IdentityCenterState } from '../../../src/core/identity-center/identity-center-state.js';
import type { PolicyDocument } from '../../../src/core/model.js';
import { snapshotPolicySource } from '../../../src/core/risk/permission-set-policies.js';
import { RiskScorer } from '../../../src/core/risk/risk-scorer.js';
import { scoreIdentityCenter } from '../../../src/core/risk/score-identity-center.js';

let scorer: RiskScorer;
beforeAll(async () => {
  scorer = new RiskScorer(await loadActionCatalogue());
});

const X = '111122223333';
const Y = '444455556666';
const allow = (Action: string, Resource = '*'): PolicyDocument => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource }] });

/** Account X: a role admin that trusts the account (so whoever may assume it by policy can). */
function accountX(): AccountSnapshot {
  return {
    ...emptySnapshot(),
    RoleDetailList: [
      {
        RoleName: 'admin',
        Arn: `arn:aws:iam::${X}:role/admin`,
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${X}:root` }, Action: 'sts:AssumeRole' }] },
        RolePolicyList: [{ PolicyName: 'all', PolicyDocument: allow('*') }],
      },
    ],
  };
}

function state(): IdentityCenterState {
  const s = emptyIdentityCenterState('arn:aws:sso:::instance/ssoins-1', 'd-1');
  s.Users.push({ UserId: 'u-1', UserName: 'kramer' }, { UserId: 'u-2', UserName: 'elaine' });
  s.Groups!.push({ GroupId: 'g-1', DisplayName: 'readers' });
  s.PermissionSets.push(
    { Name: 'Jump', PermissionSetArn: 'ps-jump', InlinePolicy: allow('sts:AssumeRole', `arn:aws:iam::${X}:role/admin`) },
    { Name: 'Read', PermissionSetArn: 'ps-read', InlinePolicy: allow('s3:GetObject') },
  );
  s.AccountAssignments.push(
    { AccountId: X, PermissionSetArn: 'ps-jump', PrincipalType: 'USER', PrincipalId: 'u-1' },
    { AccountId: Y, PermissionSetArn: 'ps-jump', PrincipalType: 'USER', PrincipalId: 'u-2' },
    { AccountId: X, PermissionSetArn: 'ps-read', PrincipalType: 'GROUP', PrincipalId: 'g-1' },
    { AccountId: X, PermissionSetArn: 'ps-read', PrincipalType: 'USER', PrincipalId: 'u-2' },
  );
  return s;
}

describe('Identity Center users and groups in the principal graph', () => {
  it('a user assigned a set in account X reaches what the set can become there', () => {
    const accounts = new Map([[X, accountX()]]);
    const report = scoreIdentityCenter(scorer, state(), snapshotPolicySource(accounts), { accounts });
    const kramer = report.principals.find((p) => p.name === 'kramer')!;
    expect(kramer.score).toBe(100);
    expect(kramer.assignments[0]).toMatchObject({ permissionSet: 'Jump', account: X, score: 100, reach: { node: 'role/admin', score: 100 } });
    expect(kramer.assignments[0]!.ownScore).toBeLessThan(100);
    expect(kramer.assignments[0]!.reach!.path).toEqual([expect.objectContaining({ from: 'permission-set/Jump', to: 'role/admin', rule: 'graph/assume-role' })]);
    // The same set in account Y, which the run does not read, reaches nothing beyond itself there.
    const elaine = report.principals.find((p) => p.name === 'elaine')!;
    const jumpInY = elaine.assignments.find((a) => a.account === Y)!;
    expect(jumpInY).toMatchObject({ permissionSet: 'Jump', score: jumpInY.ownScore });
    expect(jumpInY.reach).toBeUndefined();
    expect(elaine.assignments.find((a) => a.account === X)).toMatchObject({ permissionSet: 'Read', score: 15 });
    expect(elaine.score).toBe(Math.max(15, jumpInY.ownScore));
    expect(elaine.score).toBeLessThan(100);
    expect(report.principals.find((p) => p.kind === 'group')).toMatchObject({ name: 'readers', score: 15 });
    expect(report.principals[0]!.name).toBe('kramer');
  });

  it('without the account read-outs, each principal scores its sets alone', () => {
    const report = scoreIdentityCenter(scorer, state(), snapshotPolicySource(new Map()));
    expect(report.principals.find((p) => p.name === 'kramer')!.assignments[0]!.reach).toBeUndefined();
    expect(report.principals.find((p) => p.name === 'kramer')!.score).toBeLessThan(90);
  });
});
