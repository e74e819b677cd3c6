import { loadActionCatalogue } from '../../../src/adapters/iam-data/load-action-catalogue.js';
import type { PolicyDocument, PolicyStatement } from '../../../src/core/model.js';
import { RiskScorer } from '../../../src/core/risk/risk-scorer.js';

let scorer: RiskScorer;
beforeAll(async () => {
  scorer = new RiskScorer(await loadActionCatalogue());
});

const policy = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });
const rulesOf = (doc: PolicyDocument) => scorer.scorePolicy(doc).findings.map((f) => `${f.rule}:${f.severity}`);
const allActions = (doc: PolicyDocument) => scorer.scorePolicy(doc).findings.flatMap((f) => f.actions);

describe('RiskScorer.scorePolicy: policies with known answers', () => {
  it('administrator access scores 100 and touches every category', () => {
    const report = scorer.scorePolicy(policy({ Effect: 'Allow', Action: '*', Resource: '*' }));
    expect(report.score).toBe(100);
    expect(new Set(report.findings.map((f) => f.category))).toEqual(
      new Set(['privilege-escalation', 'resource-exposure', 'credentials-exposure', 'data-exfiltration', 'infrastructure-modification', 'service-wildcard']),
    );
    expect(report.findings.find((f) => f.rule === 'privilege-escalation/create-policy-version')).toMatchObject({ severity: 'high', source: 'rhino-security-labs', constrained: false });
    expect(report.findings.find((f) => f.category === 'service-wildcard')?.actions).toEqual(expect.arrayContaining(['iam:*', 's3:*']));
  });

  it('read-only access is a data-exfiltration risk and nothing else', () => {
    const report = scorer.scorePolicy(policy({ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 'ec2:Describe*'], Resource: '*' }));
    expect(report.findings.map((f) => f.rule)).toEqual(['data-exfiltration/read-data-and-secrets']);
    expect(report.findings[0]).toMatchObject({ severity: 'medium', actions: ['s3:GetObject'] });
    expect(report.score).toBe(30);
  });

  it('reading one bucket is a constrained, low data-exfiltration risk', () => {
    const report = scorer.scorePolicy(
      policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::reports', 'arn:aws:s3:::reports/*'] }),
    );
    expect(report.findings).toEqual([expect.objectContaining({ rule: 'data-exfiltration/read-data-and-secrets', severity: 'low', constrained: true, actions: ['s3:GetObject'] })]);
    expect(report.score).toBe(10);
  });

  it('PassRole with Lambda create and invoke is a privilege escalation', () => {
    const doc = policy({ Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' });
    expect(rulesOf(doc)).toEqual(['privilege-escalation/pass-role-to-new-lambda-invoke:high', 'infrastructure-modification/unconstrained-write:low']);
    expect(scorer.scorePolicy(doc).score).toBe(64);
  });

  it('PassRole limited to one role still escalates, one severity lower', () => {
    const doc = policy(
      { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/lambda-runner' },
      { Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' },
    );
    expect(rulesOf(doc)).toContain('privilege-escalation/pass-role-to-new-lambda-invoke:medium');
  });

  it('CreatePolicyVersion alone escalates and exposes resources', () => {
    const report = scorer.scorePolicy(policy({ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*' }));
    expect(report.findings.map((f) => `${f.rule}:${f.severity}`)).toEqual([
      'privilege-escalation/create-policy-version:high',
      'resource-exposure/permissions-management:high',
      'infrastructure-modification/unconstrained-write:low',
    ]);
    expect(report.score).toBe(86);
  });

  it('a NotAction power user gets everything but IAM: no IAM escalation, still near the top', () => {
    const doc = policy(
      { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
      { Effect: 'Allow', Action: ['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization', 'account:ListRegions'], Resource: '*' },
    );
    const report = scorer.scorePolicy(doc);
    const rules = report.findings.map((f) => f.rule);
    expect(rules).toContain('privilege-escalation/update-lambda-code');
    expect(rules).not.toContain('privilege-escalation/create-policy-version');
    expect(rules).not.toContain('privilege-escalation/pass-role-to-ec2');
    const wildcards = report.findings.find((f) => f.category === 'service-wildcard')!.actions;
    expect(wildcards).toContain('s3:*');
    expect(wildcards).not.toContain('iam:*');
    expect(wildcards).not.toContain('organizations:*');
    expect(allActions(doc).filter((a) => a.startsWith('iam:') && a !== 'iam:CreateServiceLinkedRole' && a !== 'iam:DeleteServiceLinkedRole')).toEqual([]);
    expect(report.score).toBeGreaterThanOrEqual(95);
  });

  it('a deny-only policy scores 0', () => {
    const report = scorer.scorePolicy(policy({ Effect: 'Deny', Action: '*', Resource: '*' }, { Effect: 'Deny', NotAction: 's3:GetObject', Resource: '*' }));
    expect(report).toEqual({ score: 0, findings: [], unknownActions: [] });
  });
});

describe('RiskScorer.scorePolicy: how statements are read', () => {
  it('subtracts an unconditional deny', () => {
    const doc = policy({ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'iam:*', Resource: '*' });
    expect(allActions(doc).some((a) => a.startsWith('iam:'))).toBe(false);
    expect(rulesOf(doc)).toContain('privilege-escalation/update-lambda-code:high');
  });

  it('does not subtract a deny that a condition or a resource narrows', () => {
    const conditioned = policy(
      { Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*' },
      { Effect: 'Deny', Action: 'iam:*', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } },
    );
    const scoped = policy({ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*' }, { Effect: 'Deny', Action: 'iam:*', Resource: 'arn:aws:iam::111122223333:policy/x' });
    expect(rulesOf(conditioned)).toContain('privilege-escalation/create-policy-version:high');
    expect(rulesOf(scoped)).toContain('privilege-escalation/create-policy-version:high');
  });

  it('treats a condition on "*" as a constraint', () => {
    const doc = policy({ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } });
    expect(rulesOf(doc)).toEqual(['privilege-escalation/create-policy-version:medium']);
  });

  it('cannot allow a resource-less action through specific ARNs', () => {
    const doc = policy({ Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: 'arn:aws:ecr:us-east-1:111122223333:repository/app' });
    expect(scorer.scorePolicy(doc).findings).toEqual([]);
    expect(rulesOf(policy({ Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' }))).toContain('credentials-exposure/returns-credentials:high');
  });

  it('classifies a combined access level under each of its parts', () => {
    // iam:PutUserPolicy is "Permissions management, Write" in AWS's reference.
    const categories = scorer.scorePolicy(policy({ Effect: 'Allow', Action: 'iam:PutUserPolicy', Resource: '*' })).findings.map((f) => f.category);
    expect(categories).toEqual(['privilege-escalation', 'resource-exposure', 'infrastructure-modification']);
    expect(scorer.index.levels[scorer.index.indexOf('iam:PutUserPolicy')!]).toEqual(['Permissions management', 'Write']);
  });

  it('matches case-insensitively, with ? and * anywhere', () => {
    expect(rulesOf(policy({ Effect: 'Allow', Action: 'IAM:createPOLICYversio?', Resource: '*' }))).toContain('privilege-escalation/create-policy-version:high');
    expect(rulesOf(policy({ Effect: 'Allow', Action: 'iam:*PolicyVersion', Resource: '*' }))).toEqual(
      expect.arrayContaining(['privilege-escalation/create-policy-version:high', 'privilege-escalation/set-default-policy-version:high']),
    );
  });

  it('reports actions the catalogue does not know instead of guessing', () => {
    const report = scorer.scorePolicy(policy({ Effect: 'Allow', Action: ['s3:GetObjekt', 'nosuchservice:*', 's3:GetObject'], Resource: 'arn:aws:s3:::b/*' }));
    expect(report.unknownActions).toEqual(['nosuchservice:*', 's3:GetObjekt']);
    expect(report.findings.map((f) => f.rule)).toEqual(['data-exfiltration/read-data-and-secrets']);
  });

  it('accepts a single statement object and ignores malformed statements', () => {
    const doc = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'iam:AddUserToGroup', Resource: '*' } } as PolicyDocument;
    expect(rulesOf(doc)).toContain('privilege-escalation/add-user-to-group:high');
    expect(scorer.scorePolicy({ Statement: [null as unknown as PolicyStatement, { Effect: 'Maybe' as 'Allow', Action: '*', Resource: '*' }] }).score).toBe(0);
    expect(scorer.scorePolicy(undefined).score).toBe(0);
  });
});

describe('RiskScorer.scorePermissions: a principal is the union of its policies', () => {
  it('finds an escalation split across two policies that neither has alone', () => {
    const passRole = scorer.permissionsOf(policy({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }));
    const lambda = scorer.permissionsOf(policy({ Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }));
    const rule = 'privilege-escalation/pass-role-to-new-lambda-invoke';
    expect(scorer.scorePermissions([passRole]).findings.map((f) => f.rule)).not.toContain(rule);
    expect(scorer.scorePermissions([lambda]).findings.map((f) => f.rule)).not.toContain(rule);
    expect(scorer.scorePermissions([passRole, lambda]).findings.map((f) => f.rule)).toContain(rule);
  });

  it('lets a deny in one policy remove what another allows', () => {
    const admin = scorer.permissionsOf(policy({ Effect: 'Allow', Action: '*', Resource: '*' }));
    const denyAll = scorer.permissionsOf(policy({ Effect: 'Deny', Action: '*', Resource: '*' }));
    expect(scorer.scorePermissions([admin, denyAll]).score).toBe(0);
  });

  it('keeps a principal within its permissions boundary', () => {
    const admin = scorer.permissionsOf(policy({ Effect: 'Allow', Action: '*', Resource: '*' }));
    const boundary = scorer.permissionsOf(policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' }));
    expect(scorer.scorePermissions([admin], boundary).findings.map((f) => f.rule)).toEqual(['data-exfiltration/read-data-and-secrets']);
  });
});
