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
      new Set(['broad-access', 'privilege-escalation', 'resource-exposure', 'credentials-exposure', 'data-exfiltration', 'infrastructure-modification', 'service-wildcard']),
    );
    expect(report.findings[0]).toMatchObject({ rule: 'broad-access/administrator', tier: 'administrator', points: 90 });
    expect(report.findings.find((f) => f.rule === 'privilege-escalation/create-policy-version')).toMatchObject({ severity: 'high', source: 'rhino-security-labs', constrained: false });
    expect(report.findings.find((f) => f.category === 'service-wildcard')?.actions).toEqual(expect.arrayContaining(['iam:*', 's3:*']));
  });

  it('read-only access is a data-exfiltration risk and nothing else', () => {
    const report = scorer.scorePolicy(policy({ Effect: 'Allow', Action: ['s3:Get*', 's3:List*', 'ec2:Describe*'], Resource: '*' }));
    expect(report.findings.map((f) => f.rule)).toEqual(['data-exfiltration/read-data']);
    expect(report.findings[0]).toMatchObject({ severity: 'medium', tier: 'data-read', actions: ['s3:GetObject'] });
    expect(report.score).toBe(15);
  });

  it('reading one bucket is a constrained, low data-exfiltration risk', () => {
    const report = scorer.scorePolicy(
      policy({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::reports', 'arn:aws:s3:::reports/*'] }),
    );
    expect(report.findings).toEqual([expect.objectContaining({ rule: 'data-exfiltration/read-data', severity: 'low', tier: 'change', constrained: true, actions: ['s3:GetObject'] })]);
    expect(report.score).toBe(1);
  });

  it('PassRole with Lambda create and invoke is a privilege escalation', () => {
    const doc = policy({ Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' });
    expect(rulesOf(doc)).toEqual(['privilege-escalation/pass-role-to-new-lambda-invoke:high', 'infrastructure-modification/unconstrained-write:low']);
    // Alone, a policy cannot say which role it would pass: some existing role, of unknown power.
    expect(scorer.scorePolicy(doc).findings[0]).toMatchObject({ tier: 'power-user', points: 75 });
    expect(scorer.scorePolicy(doc).score).toBe(76);
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
    // It can rewrite a policy it holds itself: as good as an administrator.
    expect(report.findings.map((f) => f.points)).toEqual([90, 6, 0]);
    expect(report.score).toBe(96);
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
    expect(report.findings[0]).toMatchObject({ rule: 'broad-access/power-user', tier: 'power-user' });
    expect(report.score).toBeGreaterThanOrEqual(75);
    expect(report.score).toBeLessThan(90);
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
    expect(report.findings.map((f) => f.rule)).toEqual(['data-exfiltration/read-data']);
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
    expect(scorer.scorePermissions([admin], boundary).findings.map((f) => f.rule)).toEqual(['data-exfiltration/read-data']);
  });
});

describe('RiskScorer: the score orders by how much of the account a principal reaches', () => {
  const score = (...statements: PolicyStatement[]) => scorer.scorePolicy(policy(...statements)).score;
  const administrator = () => score({ Effect: 'Allow', Action: '*', Resource: '*' });
  const powerUser = () => score({ Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' });
  const oneService = () => score({ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' });
  const secrets = () => score({ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:ListSecrets'], Resource: '*' });
  const data = () => score({ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: '*' });
  const oneBucket = () => score({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' });

  it('administrator > power user > one service\'s full control > read of secrets > read of data > one bucket', () => {
    const scores = [administrator(), powerUser(), oneService(), secrets(), data(), oneBucket()];
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(new Set(scores).size).toBe(scores.length);
    expect(scores).toEqual([100, expect.any(Number), expect.any(Number), 35, 15, 1]);
  });

  it('no number of lower findings reaches the next tier: a service wildcard on every service but one is still below a power user', () => {
    const manyServices = scorer.scorePolicy(policy({ Effect: 'Allow', Action: ['dynamodb:*', 'sqs:*', 'sns:*', 'kinesis:*', 'logs:*', 'events:*', 'states:*'], Resource: '*' }));
    expect(manyServices.score).toBeLessThan(75);
    expect(manyServices.score).toBeGreaterThanOrEqual(oneService());
  });

  it('traces every point to a finding: the points sum to the score', () => {
    for (const doc of [policy({ Effect: 'Allow', Action: '*', Resource: '*' }), policy({ Effect: 'Allow', Action: ['iam:PassRole', 'ec2:RunInstances', 's3:GetObject'], Resource: '*' })]) {
      const report = scorer.scorePolicy(doc);
      expect(report.findings.reduce((n, f) => n + f.points, 0)).toBe(report.score);
    }
  });

  it('AttachRolePolicy and PutRolePolicy escalate alone, without sts:AssumeRole', () => {
    for (const action of ['iam:AttachRolePolicy', 'iam:PutRolePolicy']) {
      expect(scorer.scorePolicy(policy({ Effect: 'Allow', Action: action, Resource: '*' })).findings[0]).toMatchObject({ category: 'privilege-escalation', tier: 'administrator' });
    }
  });

  it('finds the methods added from public research, each citing its source', () => {
    const first = (action: string) => scorer.scorePolicy(policy({ Effect: 'Allow', Action: action, Resource: '*' })).findings.find((f) => f.category === 'privilege-escalation');
    expect(first('ssm:SendCommand')).toMatchObject({ rule: 'privilege-escalation/ssm-send-command', source: 'aws-ssm' });
    expect(first('ssm:StartSession')).toMatchObject({ rule: 'privilege-escalation/ssm-start-session', source: 'aws-ssm' });
    expect(first('cloudformation:UpdateStack')).toMatchObject({ rule: 'privilege-escalation/update-cloudformation-stack', source: 'aws-cloudformation' });
    for (const source of ['aws-ssm', 'aws-cloudformation', 'pmapper']) expect(scorer.model.sources[source]!.url).toMatch(/^https:\/\//);
  });
});

describe('RiskScorer: conditions decided offline', () => {
  const at = new Date('2026-12-01T00:00:00Z');
  const attach = (Condition: PolicyStatement['Condition']) => scorer.scorePolicy(policy({ Effect: 'Allow', Action: 'iam:AttachUserPolicy', Resource: '*', Condition }), at);

  it('a closed aws:CurrentTime window, or tokens that must predate a long-past date, grant nothing', () => {
    expect(attach({ DateLessThan: { 'aws:CurrentTime': '2025-01-01T00:00:00Z' } }).score).toBe(0);
    expect(attach({ DateLessThan: { 'aws:TokenIssueTime': '2024-06-01T00:00:00Z' } }).score).toBe(0);
    expect(attach({ NumericLessThan: { 'aws:EpochTime': '1700000000' } }).findings[0]).toMatchObject({ constrained: true });
  });

  it('an open window holds now and counts in full; a condition it cannot decide counts one tier lower', () => {
    expect(attach({ DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' } }).findings[0]).toMatchObject({ tier: 'administrator', constrained: false });
    expect(attach({ StringEquals: { 'aws:PrincipalTag/team': 'ops' } }).findings[0]).toMatchObject({ tier: 'power-user', constrained: true });
    // A token issued within the last day may still be in use: undecided.
    expect(attach({ DateLessThan: { 'aws:TokenIssueTime': '2026-11-30T12:00:00Z' } }).findings[0]).toMatchObject({ constrained: true });
  });

  it('a deny whose window has closed no longer denies', () => {
    const doc = policy({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } } });
    expect(scorer.scorePolicy(doc, at).score).toBe(15);
    expect(scorer.scorePolicy(doc, new Date('2019-01-01T00:00:00Z')).score).toBe(0);
  });

  it('writes on AWS managed policy ARNs are no finding; the same on customer policies are', () => {
    const on = (Resource: string) => scorer.scorePolicy(policy({ Effect: 'Allow', Action: ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], Resource })).findings.map((f) => f.rule);
    expect(on('arn:aws:iam::aws:policy/AdministratorAccess')).toEqual([]);
    expect(on('arn:aws:iam::111122223333:policy/deploy')).toContain('privilege-escalation/create-policy-version');
  });
});
