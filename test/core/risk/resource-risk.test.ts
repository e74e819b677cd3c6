import { loadActionCatalogue } from '../../../src/adapters/iam-data/load-action-catalogue.js';
import { emptySnapshot, type AccountSnapshot } from '../../../src/core/iam/account-snapshot.js';
import { emptyIdentityCenterState } from '../../../src/core/identity-center/identity-center-state.js';
import type { PolicyDocument, ResourceFile } from '../../../src/core/model.js';
import { snapshotPolicySource } from '../../../src/core/risk/permission-set-policies.js';
import { scoreResource } from '../../../src/core/risk/resource-risk.js';
import { RiskScorer } from '../../../src/core/risk/risk-scorer.js';

let scorer: RiskScorer;
beforeAll(async () => {
  scorer = new RiskScorer(await loadActionCatalogue());
});

const ADMIN: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const READ: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
const resource = (grants: ResourceFile['grants'], system = 'sso') => ({ id: 'r', system, owners: ['o'], grants }) as unknown as ResourceFile;

function identityCenter(): AccountSnapshot {
  const state = emptyIdentityCenterState('arn:aws:sso:::instance/ssoins-1', 'd-1');
  state.PermissionSets.push(
    { Name: 'Admin', PermissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-1', AttachedManagedPolicies: [{ Arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] },
    { Name: 'Capped', PermissionSetArn: 'arn:aws:sso:::permissionSet/ssoins-1/ps-2', InlinePolicy: ADMIN, PermissionsBoundary: { CustomerManagedPolicyReference: { Name: 'cap' } } },
  );
  return { ...emptySnapshot(), IdentityCenter: state };
}

const account = (): AccountSnapshot => ({
  ...emptySnapshot(),
  Policies: [
    { PolicyName: 'AdministratorAccess', Arn: 'arn:aws:iam::aws:policy/AdministratorAccess', PolicyVersionList: [{ Document: ADMIN, VersionId: 'v1', IsDefaultVersion: true }] },
    { PolicyName: 'cap', Arn: 'arn:aws:iam::111122223333:policy/cap', PolicyVersionList: [{ Document: READ, VersionId: 'v1', IsDefaultVersion: true }] },
  ],
  RoleDetailList: [{ RoleName: 'ops', Arn: 'arn:aws:iam::111122223333:role/ops', RolePolicyList: [{ PolicyName: 'all', PolicyDocument: ADMIN }] }],
});

describe('scoreResource: each entitlement kind says what its resources hand out', () => {
  it('a permission-set resource gets its set\'s risk, in the listed account where it reaches furthest', () => {
    const policies = snapshotPolicySource(new Map([['111122223333', account()]]));
    const admin = scoreResource(scorer, resource({ permissionSet: 'Admin', accounts: ['111122223333', '444455556666'] }), identityCenter(), undefined, policies);
    expect(admin).toMatchObject({ score: 100, privilegeEscalation: true, unresolved: [] });
    expect(admin.services).toContain('iam');
    // The boundary (a customer managed policy, found in the listed account) caps what the set hands out there.
    const capped = scoreResource(scorer, resource({ permissionSet: 'Capped', accounts: ['111122223333'] }), identityCenter(), undefined, policies);
    expect(capped).toMatchObject({ score: 15, privilegeEscalation: false, services: ['s3'], unresolved: [] });
    // In an account the run does not read, the boundary is unknown: the set is not capped, and that is said.
    const uncapped = scoreResource(scorer, resource({ permissionSet: 'Capped', accounts: ['444455556666'] }), identityCenter(), undefined, policies);
    expect(uncapped.score).toBe(100);
    expect(uncapped.unresolved).toEqual(['permissions boundary not applied (the score may be too high): customer managed policy /cap in account 444455556666: that account is not read in this run']);
  });

  it('a referenced policy nobody can read is a finding of unknown risk in the resource\'s score too', () => {
    const risk = scoreResource(scorer, resource({ permissionSet: 'Admin', accounts: ['111122223333'] }), identityCenter());
    expect(risk.findings.map((f) => f.rule)).toEqual(['broad-access/unreadable-policy']);
    expect(risk.score).toBe(90);
    expect(risk.unresolved).toEqual(['AWS managed policy arn:aws:iam::aws:policy/AdministratorAccess: no IAM account is read in this run to find its document in']);
  });

  it('without a read-out, or a set the instance lacks, it is unscored and says why', () => {
    expect(scoreResource(scorer, resource({ permissionSet: 'Admin', accounts: ['111122223333'] }), undefined)).toMatchObject({ score: 0, unresolved: ['no Identity Center read-out to find its permission set in'] });
    expect(scoreResource(scorer, resource({ permissionSet: 'Nope', accounts: ['111122223333'] }), identityCenter()).unresolved).toEqual(['permission set Nope is not in the Identity Center read-out']);
  });

  it('a role resource hands out what the role may do', () => {
    expect(scoreResource(scorer, resource({ role: 'ops' }, 'aws-prod'), account())).toMatchObject({ score: 100, unresolved: [] });
    expect(scoreResource(scorer, resource({ role: 'gone' }, 'aws-prod'), account()).unresolved).toEqual(['role gone is not in the account read-out']);
  });

  it('inline, managed-policy and group resources score as before', () => {
    expect(scoreResource(scorer, resource({ inlinePolicy: READ }, 'aws-prod'), undefined)).toMatchObject({ score: 15, unresolved: [] });
    expect(scoreResource(scorer, resource({ managedPolicy: 'arn:aws:iam::aws:policy/AdministratorAccess' }, 'aws-prod'), account()).score).toBe(100);
    expect(scoreResource(scorer, resource({ managedPolicy: 'arn:aws:iam::aws:policy/AdministratorAccess' }, 'aws-prod'), undefined).unresolved).toEqual(['no account read-out to find its policy in']);
    expect(scoreResource(scorer, resource({ group: 'g' }, 'aws-prod'), account()).unresolved).toEqual(['group g is not in the account read-out']);
  });
});
