import { readFileSync } from 'node:fs';
import { loadActionCatalogue } from '../../../src/adapters/iam-data/load-action-catalogue.js';
import type { AccountSnapshot } from '../../../src/core/iam/account-snapshot.js';
import { buildInventory } from '../../../src/core/inventory/build-inventory.js';
import { resolveRiskSettings } from '../../../src/core/risk/risk-settings.js';
import { RiskScorer } from '../../../src/core/risk/risk-scorer.js';
import { renderInventoryMarkdown } from '../../../src/render/inventory-markdown.js';
import { scoreAccount, type AccountRiskReport, type PrincipalRisk } from '../../../src/core/risk/score-account.js';

let scorer: RiskScorer;
let report: AccountRiskReport;
const AT = new Date('2026-12-01T00:00:00Z');
const read = (path: string) => JSON.parse(readFileSync(new URL(`../../fixtures/${path}`, import.meta.url), 'utf8')) as AccountSnapshot;
beforeAll(async () => {
  scorer = new RiskScorer(await loadActionCatalogue());
  report = scoreAccount(scorer, read('risk-graph/vandelay-graph.json'), { at: AT });
});

const principal = (name: string, r = report): PrincipalRisk => r.principals.find((p) => p.name === name)!;
const steps = (p: PrincipalRisk) => p.reach?.path.map((e) => `${e.from}>${e.to}:${e.rule}${e.conditional ? '?' : ''}`);
const ADMIN_FLOOR = 90;

describe('the principal graph: can-become edges', () => {
  it('follows a trust-policy chain: a user allowed one role, which may assume an administrator role', () => {
    const kramer = principal('kramer');
    expect(kramer.ownScore).toBeLessThan(55);
    expect(steps(kramer)).toEqual(['user/kramer>role/jump:graph/assume-role', 'role/jump>role/admin:graph/assume-role']);
    expect(kramer.reach).toMatchObject({ node: 'role/admin', kind: 'role', score: 100, tier: 'administrator' });
    expect(kramer.score).toBe(100);
    expect(kramer.reach!.path[0]!.how).toMatch(/trust policy trusts the account/);
    expect(kramer.reach!.path[1]!.how).toMatch(/trust policy names the principal/);
  });

  it('needs both sides: the trust policy of the role and, through the account, the principal\'s own sts:AssumeRole', () => {
    expect(steps(principal('newman'))).toEqual(['user/newman>role/jump:graph/assume-role', 'role/jump>role/admin:graph/assume-role']);
    // babu may not call sts:AssumeRole, and admin trusts only jump by name.
    expect(principal('babu').reach).toBeUndefined();
    expect(principal('babu').score).toBeLessThan(15);
  });

  it('opens a shell through SSM on an instance whose profile is an administrator', () => {
    const elaine = principal('elaine');
    expect(steps(elaine)).toEqual(['user/elaine>role/ops-box:privilege-escalation/ssm-send-command']);
    expect(elaine.reach!.path[0]!.source).toBe('aws-ssm');
    expect(elaine.score).toBe(100);
  });

  it('updates an existing CloudFormation stack whose service role is an administrator (only some stacks: conditional)', () => {
    expect(steps(principal('george'))).toEqual(['user/george>role/cfn-deployer:privilege-escalation/update-cloudformation-stack?']);
  });

  it('passes a role into a new Lambda function only when iam:PassRole names that role', () => {
    expect(steps(principal('lloyd'))).toEqual(['user/lloyd>role/lambda-admin:privilege-escalation/pass-role-to-new-lambda-invoke']);
  });

  it('creates access keys for one named administrator user', () => {
    expect(steps(principal('jackie'))).toEqual(['user/jackie>user/art:privilege-escalation/create-access-key']);
  });
});

describe('the principal graph: self-modification without assuming anything', () => {
  it.each([
    ['selfish', 'iam:AttachRolePolicy on arn:aws:iam::111122223333:role/selfish'],
    ['puddy', 'iam:PutUserPolicy on arn:aws:iam::111122223333:user/puddy'],
    ['jerry', 'iam:AttachGroupPolicy on arn:aws:iam::111122223333:group/comedians'],
  ])('%s can change its own permissions: administrator tier', (name, how) => {
    const p = principal(name);
    expect(p.reach).toBeUndefined();
    expect(p.findings[0]).toMatchObject({ rule: 'graph/self-modification', tier: 'administrator', source: 'pmapper', points: ADMIN_FLOOR });
    expect(p.findings[0]!.description).toContain(how);
    expect(p.score).toBeGreaterThanOrEqual(ADMIN_FLOOR);
  });

  it('keeps a condition it cannot decide (MFA) as conditional: one tier lower, still above a power user\'s floor', () => {
    const susan = principal('susan');
    expect(susan.findings[0]).toMatchObject({ rule: 'graph/self-modification', tier: 'power-user', constrained: true });
    expect(susan.score).toBeGreaterThanOrEqual(75);
    expect(susan.score).toBeLessThan(ADMIN_FLOOR);
  });
});

describe('the principal graph: false positives it does not raise', () => {
  it('actions on AWS managed policy ARNs are not escalation', () => {
    const david = principal('david');
    expect(david.findings.filter((f) => f.category === 'privilege-escalation')).toEqual([]);
    expect(david.score).toBe(0);
  });

  it.each([
    ['frank', 'aws:TokenIssueTime before 2019'],
    ['estelle', 'an aws:CurrentTime window closed in 2020'],
  ])('%s: a condition that can never hold at the evaluation time (%s) grants nothing', (name) => {
    expect(principal(name).score).toBe(0);
  });

  it('a trust statement whose aws:CurrentTime has passed lets nobody in (an expired role grant)', () => {
    expect(principal('morty').reach).toBeUndefined();
    expect(principal('morty').score).toBe(0);
  });

  it('still grants while the window is open: the same account judged in 2019 lets morty and estelle escalate', () => {
    const past = scoreAccount(scorer, read('risk-graph/vandelay-graph.json'), { at: new Date('2019-06-01T00:00:00Z') });
    expect(steps(principal('morty', past))).toEqual(['user/morty>role/expired-grant:graph/assume-role']);
    expect(principal('estelle', past).findings[0]).toMatchObject({ rule: 'graph/self-modification', tier: 'administrator' });
  });

  it('without an evaluation time a clock condition stays undecided: counted, one tier lower', () => {
    const undated = scoreAccount(scorer, read('risk-graph/vandelay-graph.json'));
    expect(principal('estelle', undated).findings[0]).toMatchObject({ rule: 'graph/self-modification', constrained: true });
  });
});

describe('the principal graph on data nobody here wrote (cloudsplaining\'s example account, BSD-3-Clause)', () => {
  it('finds that the EC2 role may create access keys for the administrator user obama', () => {
    const r = scoreAccount(scorer, read('cloudsplaining/example-authz-details.json'), { at: AT });
    const ec2 = principal('OverprivilegedEC2', r);
    expect(ec2.reach).toMatchObject({ node: 'user/obama', score: 100 });
    expect(steps(ec2)).toEqual(['role/OverprivilegedEC2>user/obama:privilege-escalation/create-access-key']);
    expect(ec2.ownScore).toBeLessThan(ADMIN_FLOOR);
    // Roles trusted only by services are not assumed by users; no user here reaches a role.
    expect(r.principals.filter((p) => p.kind === 'user').every((p) => p.reach === undefined)).toBe(true);
  });
});

describe('the principal graph feeds the inventory', () => {
  it('scores users and roles by what they can become, with the path in the read-out', () => {
    const inventory = buildInventory({ system: 'aws-prod', snapshot: read('risk-graph/vandelay-graph.json'), scorer, settings: resolveRiskSettings(undefined), now: AT });
    const kramer = inventory.users.find((u) => u.name === 'kramer')!;
    expect(kramer.risk).toBe(100);
    expect(kramer.reach).toBe('role/admin (100): user/kramer → role/jump (sts:AssumeRole (its trust policy trusts the account)) → role/admin (sts:AssumeRole (its trust policy names the principal))');
    expect(inventory.roles.find((r) => r.name === 'jump')!.reach).toMatch(/^role\/admin \(100\): role\/jump → role\/admin/);
    expect(inventory.users.find((u) => u.name === 'morty')!).toMatchObject({ risk: 0 });
    expect(inventory.users.find((u) => u.name === 'morty')!.reach).toBeUndefined();
    expect(renderInventoryMarkdown([inventory])).toContain('| kramer | — | 100 |');
  });
});
