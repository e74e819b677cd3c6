import { readFileSync } from 'node:fs';
import { loadActionCatalogue } from '../../../src/adapters/iam-data/load-action-catalogue.js';
import { emptySnapshot, type AccountSnapshot } from '../../../src/core/iam/account-snapshot.js';
import type { PolicyStatement } from '../../../src/core/model.js';
import { RiskScorer } from '../../../src/core/risk/risk-scorer.js';
import { scoreAccount } from '../../../src/core/risk/score-account.js';

let scorer: RiskScorer;
beforeAll(async () => {
  scorer = new RiskScorer(await loadActionCatalogue());
});

const ACCOUNT = 'arn:aws:iam::111122223333';
const managed = (name: string, Statement: PolicyStatement[]) => ({
  PolicyName: name,
  Arn: `${ACCOUNT}:policy/${name}`,
  PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: { Version: '2012-10-17', Statement } }],
});

/** A user whose PassRole comes directly and whose Lambda rights come through a group. */
function splitEscalation(): AccountSnapshot {
  const snapshot = emptySnapshot();
  snapshot.Policies.push(
    managed('pass-role', [{ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }]),
    managed('lambda-dev', [{ Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' }]),
  );
  snapshot.GroupDetailList.push({ GroupName: 'devs', Arn: `${ACCOUNT}:group/devs`, AttachedManagedPolicies: [{ PolicyName: 'lambda-dev', PolicyArn: `${ACCOUNT}:policy/lambda-dev` }] });
  snapshot.UserDetailList.push(
    { UserName: 'kramer', Arn: `${ACCOUNT}:user/kramer`, GroupList: ['devs'], AttachedManagedPolicies: [{ PolicyName: 'pass-role', PolicyArn: `${ACCOUNT}:policy/pass-role` }] },
    { UserName: 'newman', Arn: `${ACCOUNT}:user/newman`, GroupList: ['devs'] },
  );
  return snapshot;
}

describe('scoreAccount', () => {
  it('scores a user as the union of its own and its groups\' policies', () => {
    const report = scoreAccount(scorer, splitEscalation());
    const rule = 'privilege-escalation/pass-role-to-new-lambda-invoke';
    const principal = (name: string) => report.principals.find((p) => p.name === name)!;
    expect(principal('kramer').findings.map((f) => f.rule)).toContain(rule);
    expect(principal('kramer').policies).toEqual([`${ACCOUNT}:policy/pass-role`, `${ACCOUNT}:policy/lambda-dev`]);
    expect(principal('newman').findings.map((f) => f.rule)).not.toContain(rule);
    expect(principal('devs').findings.map((f) => f.rule)).not.toContain(rule);
    for (const p of report.policies) expect(p.findings.map((f) => f.rule)).not.toContain(rule);
    expect(principal('kramer').score).toBeGreaterThan(principal('newman').score);
  });

  it('lists attachments it has no document for instead of scoring them as empty', () => {
    const snapshot = splitEscalation();
    snapshot.UserDetailList[1]!.AttachedManagedPolicies = [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }];
    snapshot.UserDetailList[1]!.GroupList = ['devs', 'ghosts'];
    expect(scoreAccount(scorer, snapshot).principals.find((p) => p.name === 'newman')!.unresolved).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess', 'group:ghosts']);
  });

  it('scores every policy and principal of a real-format account (cloudsplaining\'s example)', () => {
    const snapshot = JSON.parse(readFileSync(new URL('../../fixtures/cloudsplaining/example-authz-details.json', import.meta.url), 'utf8')) as AccountSnapshot;
    const report = scoreAccount(scorer, snapshot);
    // 32 managed; inline: InsecureUserPolicy twice, SupYo twice, InlinePolicyForBidenGroup, EC2-IAM-example.
    expect(report.policies).toHaveLength(32 + 6);
    expect(report.principals).toHaveLength(3 + 2 + 3);
    expect(report.principals.find((p) => p.name === 'obama')!.score).toBe(100);
    expect(report.policies.find((p) => p.name === 'AdministratorAccess')).toMatchObject({ score: 100, attachedTo: ['user/obama', 'group/admin'] });
    const vpcRead = report.policies.find((p) => p.name === 'AmazonVPCReadOnlyAccess')!;
    expect(vpcRead.findings.filter((f) => f.category === 'privilege-escalation')).toEqual([]);
    expect(vpcRead.score).toBeLessThan(report.policies.find((p) => p.name === 'AmazonVPCFullAccess')!.score);
    // MyRole's inline policy has iam:PassRole and ec2 instance-profile actions but not ec2:RunInstances.
    expect(report.principals.find((p) => p.name === 'MyRole')!.findings.map((f) => f.rule)).not.toContain('privilege-escalation/pass-role-to-ec2');
    expect(report.principals.map((p) => p.score)).toEqual([...report.principals.map((p) => p.score)].sort((a, b) => b - a));
    for (const p of report.principals) expect(p.findings.reduce((n, f) => n + f.points, 0)).toBe(p.ownScore);
  });
});
