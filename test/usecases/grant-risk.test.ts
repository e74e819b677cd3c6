import { evaluateApproval, type ApprovalResult } from '../../src/core/approval/evaluate-approval.js';
import { emptySnapshot, type AccountSnapshot } from '../../src/core/iam/account-snapshot.js';
import type { IamProvider } from '../../src/ports.js';
import { renderApprovalComment } from '../../src/render/approval-markdown.js';
import { renderGrantRiskLines } from '../../src/render/grant-risk-markdown.js';
import { grantRiskSource, type PreparedGrantRisk } from '../../src/usecases/grant-risk.js';
import { ORG, grantYaml, snapshot } from '../helpers/repo.js';

/*
 * The test org (test/helpers/repo.ts): dev's manager is mgr. Two low resources (nobody approves low):
 * lambda-dev (inline: create and invoke functions) and deploy (inline: PassRole and Lambda, an escalation path).
 */
const NOW = new Date('2026-11-23T12:00:00Z');
const HEAD = 'a'.repeat(40);
const inline = (actions: string[]) => `  inlinePolicy:\n    Statement:\n      - { Effect: Allow, Action: [${actions.join(', ')}], Resource: "*" }\n`;
const RESOURCES = {
  'access/resources/aws-prod/lambda-dev.yaml': `id: lambda-dev\nsystem: aws-prod\nsensitivity: low\nowners: [res-owner]\ngrants:\n${inline(['lambda:CreateFunction', 'lambda:InvokeFunction'])}`,
  'access/resources/aws-prod/jump.yaml': `id: jump\nsystem: aws-prod\nsensitivity: low\nowners: [res-owner]\ngrants:\n  inlinePolicy:\n    Statement:\n      - { Effect: Allow, Action: sts:AssumeRole, Resource: "arn:aws:iam::111122223333:role/jump" }\n`,
  'access/resources/aws-prod/deploy.yaml': `id: deploy\nsystem: aws-prod\nsensitivity: low\nowners: [res-owner]\ngrants:\n${inline(['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'])}`,
};

function rules(riskBlock: string | undefined) {
  return snapshot({ ...RESOURCES, ...(riskBlock !== undefined && { 'access/grantops.yaml': `${ORG}${riskBlock}` }) });
}

/** A provider that hands out one fixed account. */
function accountWith(policies: Record<string, string[]>, roles: AccountSnapshot['RoleDetailList'] = []): IamProvider {
  const account: AccountSnapshot = emptySnapshot();
  account.RoleDetailList.push(...roles);
  account.UserDetailList.push({
    UserName: 'dev',
    Arn: 'arn:aws:iam::111122223333:user/dev',
    UserPolicyList: Object.entries(policies).map(([PolicyName, Action]) => ({ PolicyName, PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action, Resource: '*' }] } })),
  });
  return { kind: 'fake', readSnapshot: async () => account, readAccountSummary: async () => ({}), applyOperations: async () => [] };
}

async function judge(resource: string, riskBlock: string | undefined, provider?: IamProvider): Promise<{ result: ApprovalResult; risk?: PreparedGrantRisk }> {
  const rulesAtBase = rules(riskBlock);
  const risk = await grantRiskSource(provider)(rulesAtBase);
  const path = `access/grants/dev/${resource}.yaml`;
  const head = grantYaml({ user: 'dev', resource, reason: 'ship it', expires: '2026-12-01T00:00:00Z', status: 'active' });
  const result = evaluateApproval({
    rulesAtBase,
    changes: [{ path, head }],
    pr: { author: 'dev', headSha: HEAD, baseSha: 'c'.repeat(40), changedFiles: [path], reviews: [] },
    now: NOW,
    ...(risk && { escalate: risk.escalate }),
  });
  return { result, risk };
}

describe('risk in the approval: escalation by one sensitivity level', () => {
  it('changes nothing for an organisation without a risk: block', async () => {
    const { result, risk } = await judge('deploy', undefined);
    expect(risk).toBeUndefined();
    expect(result.grants[0]).toMatchObject({ status: 'approved', sensitivity: { level: 'low', escalatedBy: 0 } });
  });

  it('raises a grant that opens a privilege-escalation path, and says why', async () => {
    const { result } = await judge('deploy', 'risk: {}\n');
    expect(result.status).toBe('pending');
    expect(result.grants[0]!.sensitivity).toMatchObject({ level: 'medium', resourceLevel: 'low', escalatedBy: 1 });
    expect(result.grants[0]!.sensitivity!.why).toMatch(/raised to medium: risk: it opens a privilege-escalation path to dev \(privilege-escalation\/pass-role-to-new-lambda-invoke\)/);
    expect(result.grants[0]!.required).toEqual(['manager']);
    // Turned off in the organisation's rules: approved as before.
    expect((await judge('deploy', 'risk: { escalateOnPrivilegeEscalation: false }\n')).result.status).toBe('approved');
  });

  it('raises a grant whose resource scores above risk.escalateAbove', async () => {
    const below = await judge('lambda-dev', 'risk: { escalateAbove: 50 }\n');
    expect(below.result.status).toBe('approved'); // lambda create + invoke alone scores 1 (changes, no reach)
    const above = await judge('lambda-dev', 'risk: { escalateAbove: 0 }\n');
    expect(above.result.grants[0]!.sensitivity!.why).toMatch(/lambda-dev scores 1\/100, above risk\.escalateAbove \(0\)/);
  });

  it('finds a path the grant completes with what the grantee already holds', async () => {
    const holdsPassRole = accountWith({ 'pass-role': ['iam:PassRole'] });
    const { result, risk } = await judge('lambda-dev', 'risk: {}\n', holdsPassRole);
    expect(result.grants[0]!.sensitivity).toMatchObject({ level: 'medium', escalatedBy: 1 });
    expect(risk!.assess('dev', 'lambda-dev')!.grantee).toEqual({ iamUser: 'dev', before: 1, after: 57, opens: ['privilege-escalation/pass-role-to-new-lambda-invoke'] });
    // A path the grantee already has is not opened by the grant.
    const hasPath = accountWith({ all: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'] });
    expect((await judge('deploy', 'risk: {}\n', hasPath)).result.status).toBe('approved');
  });

  it('shows each grant\'s risk and the grantee\'s score change in the pull-request comment', async () => {
    const { result, risk } = await judge('lambda-dev', 'risk: {}\n', accountWith({ 'pass-role': ['iam:PassRole'] }));
    const appendix = renderGrantRiskLines(result, risk!.assess, risk!.model);
    const comment = renderApprovalComment(result, { appendix });
    expect(comment).toMatch(/\*\*Risk\*\* \(risk model \d+\.\d+\.\d+\):\n\n- `dev` → `lambda-dev`: risk 1\/100; dev's principal score 1 → 57 \(\+56\), newly able to escalate \(privilege-escalation\/pass-role-to-new-lambda-invoke\); \*\*approvers raised to medium\*\*: lambda-dev is low \(its own sensitivity\), raised to medium: risk: it opens/);
    expect(comment.indexOf('**Risk**')).toBeLessThan(comment.indexOf('<sub>Only approvals'));
  });
});

describe('risk in the approval: the principal graph', () => {
  const trust = (Principal: unknown) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Principal, Action: 'sts:AssumeRole' }] });
  const admin = [{ PolicyName: 'admin', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: '*', Resource: '*' }] } }];
  const hop = [{ PolicyName: 'hop', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 'sts:AssumeRole', Resource: '*' }] } }];
  const chain = [
    { RoleName: 'jump', Arn: 'arn:aws:iam::111122223333:role/jump', AssumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::111122223333:root' }), RolePolicyList: hop },
    { RoleName: 'admin', Arn: 'arn:aws:iam::111122223333:role/admin', AssumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::111122223333:role/jump' }), RolePolicyList: admin },
  ];

  it('raises a grant that lets the grantee reach an administrator through a role chain, and shows the path', async () => {
    const { result, risk } = await judge('jump', 'risk: {}\n', accountWith({ reads: ['s3:ListAllMyBuckets'] }, chain));
    // The resource alone is harmless-looking: one sts:AssumeRole on one role.
    expect(risk!.assess('dev', 'jump')!.escalationPaths).toEqual([]);
    const grantee = risk!.assess('dev', 'jump')!.grantee!;
    expect(grantee).toMatchObject({ before: 0, after: 100 });
    expect(grantee.reachesAdministrator!.path.map((e) => `${e.from}>${e.to}`)).toEqual(['user/dev>role/jump', 'role/jump>role/admin']);
    expect(result.grants[0]!.sensitivity).toMatchObject({ level: 'medium', escalatedBy: 1 });
    expect(result.grants[0]!.sensitivity!.why).toMatch(/risk: it lets dev reach an administrator \(role\/admin: user\/dev → role\/jump by sts:AssumeRole \(its trust policy trusts the account\); role\/jump → role\/admin by sts:AssumeRole \(its trust policy names the principal\)\)/);
    const comment = renderApprovalComment(result, { appendix: renderGrantRiskLines(result, risk!.assess, risk!.model) });
    expect(comment).toMatch(/\*\*dev could then become an administrator\*\*: role\/admin: user\/dev → role\/jump/);
  });

  it('does not raise it when the admin role does not trust the chain (the trust policy decides)', async () => {
    const closed = [chain[0]!, { ...chain[1]!, AssumeRolePolicyDocument: trust({ AWS: 'arn:aws:iam::111122223333:role/someone-else' }) }];
    const { result, risk } = await judge('jump', 'risk: {}\n', accountWith({ reads: ['s3:ListAllMyBuckets'] }, closed));
    expect(risk!.assess('dev', 'jump')!.grantee!.reachesAdministrator).toBeUndefined();
    expect(result.grants[0]).toMatchObject({ status: 'approved', sensitivity: { escalatedBy: 0 } });
  });

  it('raises a grant completing PassRole into Lambda when an administrator role trusts Lambda', async () => {
    const lambdaAdmin = [{ RoleName: 'lambda-admin', Arn: 'arn:aws:iam::111122223333:role/lambda-admin', AssumeRolePolicyDocument: trust({ Service: 'lambda.amazonaws.com' }), RolePolicyList: admin }];
    const { risk } = await judge('lambda-dev', 'risk: {}\n', accountWith({ 'pass-role': ['iam:PassRole'] }, lambdaAdmin));
    const grantee = risk!.assess('dev', 'lambda-dev')!.grantee!;
    expect(grantee.after).toBe(100);
    expect(grantee.reachesAdministrator!.path).toEqual([expect.objectContaining({ from: 'user/dev', to: 'role/lambda-admin', rule: expect.stringMatching(/^privilege-escalation\/pass-role-to-new-lambda-/) })]);
  });
});
