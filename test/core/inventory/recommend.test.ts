import { readFileSync } from 'node:fs';
import { loadActionCatalogue } from '../../../src/adapters/iam-data/load-action-catalogue.js';
import type { AccountSnapshot } from '../../../src/core/iam/account-snapshot.js';
import { buildInventory } from '../../../src/core/inventory/build-inventory.js';
import { loadAccessRepo } from '../../../src/core/load-access-repo.js';
import { resolveRiskSettings } from '../../../src/core/risk/risk-settings.js';
import { RiskScorer } from '../../../src/core/risk/risk-scorer.js';
import { ORG, grantYaml, snapshot as repoSnapshot } from '../../helpers/repo.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const FIXTURE = readFileSync(new URL('../../fixtures/cloudsplaining/example-authz-details.json', import.meta.url), 'utf8');
/** cloudsplaining's example account (3 users, 2 groups, 3 roles), a fresh copy per test to change. */
const account = (): AccountSnapshot => JSON.parse(FIXTURE) as AccountSnapshot;

let scorer: RiskScorer;
beforeAll(async () => {
  scorer = new RiskScorer(await loadActionCatalogue());
});

function inventory(snapshot: AccountSnapshot, repoFiles?: Record<string, string | null>) {
  const repo = repoFiles ? loadAccessRepo(repoSnapshot(repoFiles), NOW) : undefined;
  if (repo) expect(repo.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return buildInventory({ system: 'aws-prod', snapshot, repo: repo?.repo, scorer, settings: resolveRiskSettings(repo?.repo.org?.value), now: NOW });
}
const recs = (snapshot: AccountSnapshot, rule: string, repoFiles?: Record<string, string | null>) =>
  inventory(snapshot, repoFiles).recommendations.filter((r) => r.rule === rule).map((r) => `${r.subject}: ${r.reason}`);

describe('recommendations on cloudsplaining\'s example account', () => {
  it('flags administrator policies attached to a user directly, not through a group', () => {
    expect(recs(account(), 'user/direct-admin-policy')).toEqual([
      'user/obama: arn:aws:iam::aws:policy/AdministratorAccess allows every action on every resource and is attached to obama directly',
    ]);
  });

  it('flags roles not used within the window, and not a role used recently', () => {
    const snapshot = account();
    expect(recs(snapshot, 'role/unused')).toEqual([
      'role/MyRole: MyRole has not been used within IAM\'s tracking period',
      'role/MyOtherRole: MyOtherRole has not been used within IAM\'s tracking period',
      expect.stringMatching(/^role\/OverprivilegedEC2: not used in \d+ days: OverprivilegedEC2 was last used \d+ days ago$/),
    ]);
    snapshot.RoleDetailList[2]!.RoleLastUsed = { LastUsedDate: '2026-11-01T00:00:00Z' };
    delete snapshot.RoleDetailList[0]!.RoleLastUsed;
    expect(recs(snapshot, 'role/unused')).toEqual(['role/MyOtherRole: MyOtherRole has not been used within IAM\'s tracking period']);
  });

  it('flags console users without MFA, old keys and unused keys', () => {
    const snapshot = account();
    Object.assign(snapshot.UserDetailList[0]!, { PasswordEnabled: true, MfaEnabled: false });
    Object.assign(snapshot.UserDetailList[1]!, { PasswordEnabled: true, MfaEnabled: true });
    snapshot.UserDetailList[2]!.AccessKeys = [
      { AccessKeyId: 'AKIAOLDBUTUSED', Status: 'Active', CreateDate: '2026-01-01T00:00:00Z', LastUsedDate: '2026-11-20T00:00:00Z' },
      { AccessKeyId: 'AKIANEVERUSED', Status: 'Active', CreateDate: '2026-06-01T00:00:00Z' },
      { AccessKeyId: 'AKIAYOUNG', Status: 'Active', CreateDate: '2026-11-01T00:00:00Z' },
      { AccessKeyId: 'AKIAINACTIVE', Status: 'Inactive', CreateDate: '2020-01-01T00:00:00Z' },
    ];
    expect(recs(snapshot, 'user/console-without-mfa')).toEqual(['user/obama: obama can sign in to the console with a password and has no MFA device']);
    expect(recs(snapshot, 'access-key/old')).toEqual(['user/biden: access key AKIAOLDBUTUSED is 326 days old (more than 90)', 'user/biden: access key AKIANEVERUSED is 175 days old (more than 90)']);
    expect(recs(snapshot, 'access-key/unused')).toEqual(['user/biden: access key AKIANEVERUSED has never been used (created 175 days ago)']);
  });

  it('lists every user attachment as unmanaged, without expiry, when no repository explains it', () => {
    const report = inventory(account());
    expect(report.unmanaged.map((a) => `${a.user} ${a.kind} ${a.target}`)).toEqual([
      'obama policy arn:aws:iam::aws:policy/AdministratorAccess',
      'obama group admin',
      'userwithlotsofpermissions group admin',
      'userwithlotsofpermissions inline InsecureUserPolicy',
      'biden policy arn:aws:iam::aws:policy/AWSLambdaFullAccess',
      'biden group biden',
      'biden inline InsecureUserPolicy',
    ]);
    expect(report.recommendations.filter((r) => r.rule === 'access/no-expiry')).toHaveLength(report.unmanaged.length);
  });
});

describe('recommendations that read the repository', () => {
  const people = `- { login: owner, name: Org Owner, roles: [executive], aws: { user: owner } }
- { login: obama, name: Barack, manager: owner, aws: { user: obama } }
- { login: biden, name: Joe, manager: owner, aws: { user: biden } }
`;
  const resources = {
    'access/resources/aws-prod/prod-db.yaml': null,
    'access/resources/aws-prod/logs-read.yaml': null,
    'access/resources/aws-prod/admins.yaml': 'id: admins\nsystem: aws-prod\nsensitivity: low\nowners: [owner]\ngrants: { group: admin }\n',
    'access/resources/aws-prod/lambda.yaml': 'id: lambda\nsystem: aws-prod\nsensitivity: critical\nowners: [owner]\ngrants: { managedPolicy: "arn:aws:iam::aws:policy/AWSLambdaFullAccess" }\n',
  };
  const grant = (user: string, resource: string, expires = '2026-11-24T00:00:00Z') => ({ [`access/grants/${user}/${resource}.yaml`]: grantYaml({ user, resource, reason: 'work', expires, status: 'active' }) });
  const files = { 'access/people.yaml': people, ...resources, ...grant('obama', 'admins'), ...grant('biden', 'lambda'), ...grant('biden', 'admins', '2026-11-01T00:00:00Z') };

  it('explains attachments by live grants, and tells expired grants and unmanaged access apart', () => {
    const report = inventory(account(), files);
    const status = (user: string, target: string) => report.users.find((u) => u.name === user)!.attachments.find((a) => a.target === target)!;
    expect(status('obama', 'admin')).toMatchObject({ status: 'granted', person: 'obama', grants: ['access/grants/obama/admins.yaml'], resources: ['admins'] });
    expect(status('biden', 'arn:aws:iam::aws:policy/AWSLambdaFullAccess')).toMatchObject({ status: 'granted', resources: ['lambda'] });
    expect(status('obama', 'arn:aws:iam::aws:policy/AdministratorAccess').status).toBe('unmanaged');
    expect(report.groups.find((g) => g.name === 'admin')).toMatchObject({ members: ['obama', 'userwithlotsofpermissions'], resources: ['admins'] });
  });

  it('flags a resource whose sensitivity is below its risk', () => {
    expect(recs(account(), 'resource/sensitivity-below-risk', files)).toEqual(['access/resources/aws-prod/admins.yaml: admins is low but scores 100/100 (a privilege-escalation path), which suggests critical']);
  });

  it('flags a grant whose services the grantee has not used within the window', () => {
    const snapshot = account();
    const biden = snapshot.UserDetailList.find((u) => u.UserName === 'biden')!;
    biden.ServiceLastAccessed = [{ ServiceNamespace: 'lambda', LastAuthenticated: '2026-10-09T00:00:00Z' }, { ServiceNamespace: 's3' }];
    const obama = snapshot.UserDetailList.find((u) => u.UserName === 'obama')!;
    expect(recs(snapshot, 'grant/unused', files)).toEqual([]); // no credential facts for obama: no claim
    Object.assign(obama, { PasswordEnabled: true, AccessKeys: [], PasswordLastUsed: '2026-11-20T00:00:00Z' });
    expect(recs(snapshot, 'grant/unused', files)).toEqual([]);
    expect(recs(snapshot, 'grant/unused', { ...files, 'access/grantops.yaml': `${ORG}risk: { unusedAfter: 30d }\n` })).toEqual([
      expect.stringMatching(/^access\/grants\/biden\/lambda\.yaml: biden's access to lambda: not used in 45 days: biden last used .*lambda.* 45 days ago \(window 30 days\)$/),
    ]);
    delete obama.PasswordLastUsed;
    expect(recs(snapshot, 'grant/unused', files)).toEqual([
      'access/grants/obama/admins.yaml: obama\'s access to admins: obama has never signed in or used an access key (window 90 days)',
    ]);
  });

  it('reports a rule that fails instead of skipping it', () => {
    const broken = account();
    (broken.UserDetailList.find((u) => u.UserName === 'biden') as unknown as { ServiceLastAccessed: number }).ServiceLastAccessed = 42;
    expect(recs(broken, 'grant/unused', files)).toEqual([expect.stringMatching(/^system\/aws-prod: the check failed: /)]);
  });
});
