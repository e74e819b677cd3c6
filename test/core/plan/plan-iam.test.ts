import { loadAccessRepo } from '../../../src/core/load-access-repo.js';
import type { AccountSnapshot } from '../../../src/core/iam/account-snapshot.js';
import type { PolicyDocument } from '../../../src/core/model.js';
import { planIam, type FormerGrant } from '../../../src/core/plan/plan-iam.js';
import { account, awsPolicy, type UserSpec } from '../../helpers/iam-account.js';
import { grantYaml, snapshot } from '../../helpers/repo.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const RDS = awsPolicy('AmazonRDSFullAccess');
const S3 = awsPolicy('AmazonS3ReadOnlyAccess');

/** A grant of `resource` to `user`: live by default; `expired` sets the status, `lapsed` an expiry in the past. */
function grant(user: string, resource: string, state: 'live' | 'expired' | 'lapsed' = 'live'): Record<string, string> {
  const path = `access/grants/${user}/${resource}.yaml`;
  const expires = state === 'lapsed' ? '2026-11-20T00:00:00Z' : '2026-11-27T00:00:00Z';
  return { [path]: grantYaml({ user, resource, reason: 'work', expires, approvalExpires: '2026-12-20T00:00:00Z', status: state === 'expired' ? 'expired' : 'active' }) };
}

function resource(id: string, grants: string, extra = ''): Record<string, string> {
  return { [`access/resources/aws-prod/${id}.yaml`]: `id: ${id}\nsystem: aws-prod\nsensitivity: low\nowners: [res-owner]\n${extra}grants: ${grants}\n` };
}

function plan(files: Record<string, string>, snap: AccountSnapshot, formerGrants?: FormerGrant[]) {
  const { repo, diagnostics } = loadAccessRepo(snapshot(files), NOW);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return planIam(repo, new Map([['aws-prod', snap]]), { now: NOW, formerGrants });
}

/** `action principal target` of each operation, the shape the table reads best in. */
const brief = (ops: { action: string; principal: string; target: string }[]) => ops.map((op) => `${op.action} ${op.principal} ${op.target}`);

const base: Record<string, UserSpec> = { dev: {}, dev2: {}, mgr: {} };
const LOGS = { groups: ['log-readers'] };

describe('planIam', () => {
  const cases: { name: string; files: Record<string, string>; users: Record<string, UserSpec>; extra?: Parameters<typeof account>[1]; formerGrants?: FormerGrant[]; operations: string[]; manual?: string[] }[] = [
    { name: 'adds a missing managed policy', files: grant('dev', 'prod-db'), users: base, operations: [`attach-user-policy dev ${RDS}`] },
    { name: 'an up-to-date account needs nothing', files: grant('dev', 'prod-db'), users: { ...base, dev: { policies: [RDS] } }, operations: [] },
    { name: 'adds a missing group membership', files: grant('dev', 'logs-read'), users: base, extra: LOGS, operations: ['add-user-to-group dev log-readers'] },
    { name: 'removes access of a grant with status expired', files: grant('dev', 'prod-db', 'expired'), users: { ...base, dev: { policies: [RDS] } }, operations: [`detach-user-policy dev ${RDS}`] },
    { name: 'removes access of an active grant past its expiry', files: grant('dev', 'prod-db', 'lapsed'), users: { ...base, dev: { policies: [RDS] } }, operations: [`detach-user-policy dev ${RDS}`] },
    { name: 'an expired grant whose access is already gone needs nothing', files: grant('dev', 'prod-db', 'expired'), users: base, operations: [] },
    {
      name: 'non-exclusive: never removes from users nobody here granted',
      files: grant('dev', 'prod-db', 'expired'),
      users: { ...base, dev: { policies: [RDS] }, dev2: { policies: [RDS] } },
      operations: [`detach-user-policy dev ${RDS}`],
    },
    {
      name: 'non-exclusive: removes what a since-deleted grant gave',
      files: {},
      users: { ...base, dev2: { policies: [RDS] } },
      formerGrants: [{ user: 'dev2', resource: 'prod-db', file: 'access/grants/dev2/prod-db.yaml' }],
      operations: [`detach-user-policy dev2 ${RDS}`],
    },
    {
      name: 'exclusive: members nobody granted are drift and removed',
      files: { ...resource('logs-read', '{ group: log-readers }', 'exclusive: true\n'), ...grant('dev', 'logs-read') },
      users: { ...base, dev: { groups: ['log-readers'] }, dev2: { groups: ['log-readers'] }, mgr: { groups: ['log-readers'] } },
      extra: LOGS,
      operations: ['remove-user-from-group dev2 log-readers', 'remove-user-from-group mgr log-readers'],
    },
    {
      name: 'shared coverage: access another live grant still covers is kept',
      files: { ...resource('logs-alt', '{ group: log-readers }'), ...grant('dev', 'logs-read', 'expired'), ...grant('dev', 'logs-alt') },
      users: { ...base, dev: { groups: ['log-readers'] } },
      extra: LOGS,
      operations: [],
    },
    {
      name: 'shared coverage: two live grants for one group add it once',
      files: { ...resource('logs-alt', '{ group: log-readers }'), ...grant('dev', 'logs-read'), ...grant('dev', 'logs-alt') },
      users: base,
      extra: LOGS,
      operations: ['add-user-to-group dev log-readers'],
    },
    {
      name: 'shared coverage holds across an exclusive resource too',
      files: { ...resource('logs-read', '{ group: log-readers }', 'exclusive: true\n'), ...resource('logs-alt', '{ group: log-readers }'), ...grant('dev2', 'logs-alt') },
      users: { ...base, dev2: { groups: ['log-readers'] } },
      extra: LOGS,
      operations: [],
    },
    {
      name: 'never touches entities or attachments no resource declares',
      files: grant('dev', 'prod-db', 'expired'),
      users: { ...base, dev: { policies: [S3], groups: ['admins'], inline: { handmade: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } } }, mgr: { groups: ['admins'] } },
      extra: { groups: ['admins'] },
      operations: [],
    },
    {
      name: 'puts a missing inline policy under grantops-<resource id>',
      files: { ...resource('tickets', '{ inlinePolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "support:*", Resource: "*" }] } }'), ...grant('dev', 'tickets') },
      users: base,
      operations: ['put-user-policy dev grantops-tickets'],
    },
    {
      name: "rewrites grantops's inline policy when the resource's document changed",
      files: { ...resource('tickets', '{ inlinePolicy: { Statement: [{ Effect: Allow, Action: "support:*", Resource: "*" }] } }'), ...grant('dev', 'tickets') },
      users: { ...base, dev: { inline: { 'grantops-tickets': { Statement: [{ Effect: 'Allow', Action: 'support:Describe*', Resource: '*' }] } } } },
      operations: ['put-user-policy dev grantops-tickets'],
    },
    {
      name: "an inline policy equal up to key order is left alone",
      files: { ...resource('tickets', '{ inlinePolicy: { Statement: [{ Effect: Allow, Action: "support:*", Resource: "*" }] } }'), ...grant('dev', 'tickets') },
      users: { ...base, dev: { inline: { 'grantops-tickets': { Statement: [{ Condition: { DateLessThan: { 'aws:CurrentTime': '2026-11-27T00:00:00Z' } }, Resource: '*', Action: 'support:*', Effect: 'Allow' }] } } } },
      operations: [],
    },
    {
      name: "grantops's own inline policy with no live grant is removed even on a non-exclusive resource",
      files: resource('tickets', '{ inlinePolicy: { Statement: [{ Effect: Allow, Action: "support:*", Resource: "*" }] } }'),
      users: { ...base, dev2: { inline: { 'grantops-tickets': { Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*' }] } } } },
      operations: ['delete-user-policy dev2 grantops-tickets'],
    },
    {
      name: 'manual resources are listed apart and never mixed into operations',
      files: { ...resource('billing', '{ group: billing-admins }', 'provision: manual\n'), ...grant('dev', 'billing'), ...grant('dev2', 'billing', 'expired'), ...grant('mgr', 'prod-db') },
      users: { ...base, dev2: { groups: ['billing-admins'] } },
      extra: { groups: ['billing-admins'] },
      operations: [`attach-user-policy mgr ${RDS}`],
      manual: ['remove-user-from-group dev2 billing-admins', 'add-user-to-group dev billing-admins'],
    },
    {
      name: 'removals come before additions',
      files: { ...grant('dev', 'prod-db', 'expired'), ...grant('dev2', 'prod-db'), ...grant('mgr', 'logs-read', 'expired') },
      users: { ...base, dev: { policies: [RDS] }, mgr: { groups: ['log-readers'] } },
      extra: LOGS,
      operations: [`detach-user-policy dev ${RDS}`, 'remove-user-from-group mgr log-readers', `attach-user-policy dev2 ${RDS}`],
    },
  ];

  it.each(cases)('$name', ({ files, users, extra, formerGrants, operations, manual }) => {
    const result = plan(files, account(users, extra), formerGrants);
    expect(result.problems).toEqual([]);
    expect(brief(result.operations)).toEqual(operations);
    expect(brief(result.manual)).toEqual(manual ?? []);
  });

  it('names the grant, the system and the reason on every operation', () => {
    const result = plan({ ...grant('dev', 'prod-db', 'expired'), ...grant('dev2', 'prod-db') }, account({ ...base, dev: { policies: [RDS] } }));
    expect(result.operations).toEqual([
      { action: 'detach-user-policy', system: 'aws-prod', principal: 'dev', target: RDS, resource: 'prod-db', grant: 'access/grants/dev/prod-db.yaml', reason: 'the grant has status expired' },
      { action: 'attach-user-policy', system: 'aws-prod', principal: 'dev2', target: RDS, resource: 'prod-db', grant: 'access/grants/dev2/prod-db.yaml', reason: 'granted until 2026-11-27T00:00:00Z' },
    ]);
  });

  it('marks drift as drift, with no grant', () => {
    const result = plan(resource('logs-read', '{ group: log-readers }', 'exclusive: true\n'), account({ ...base, dev2: { groups: ['log-readers'] } }, LOGS));
    expect(result.operations).toEqual([expect.objectContaining({ action: 'remove-user-from-group', principal: 'dev2', grant: null, drift: true, reason: expect.stringMatching(/^drift: /) })]);
  });

  it('is a pure function of its inputs: the same plan twice', () => {
    const files = { ...grant('dev', 'prod-db', 'expired'), ...grant('dev2', 'prod-db') };
    const snap = account({ ...base, dev: { policies: [RDS] } });
    expect(plan(files, snap)).toEqual(plan(files, snap));
  });

  describe('pre-flight', () => {
    const tenPolicies = Array.from({ length: 10 }, (_, i) => awsPolicy(`P${i}`));
    const problemCases: { name: string; files: Record<string, string>; snap: AccountSnapshot; rule: string; file: string; message: RegExp }[] = [
      {
        name: 'attached policies per user',
        files: grant('dev', 'prod-db'),
        snap: account({ ...base, dev: { policies: tenPolicies } }),
        rule: 'plan/quota-attached-policies',
        file: 'access/grants/dev/prod-db.yaml',
        message: /"dev" would have 11 attached managed policies; the account allows 10/,
      },
      {
        name: 'groups per user (quota read from the account summary)',
        files: grant('dev', 'logs-read'),
        snap: account({ ...base, dev: { groups: ['other'] } }, { groups: ['log-readers', 'other'], summary: { GroupsPerUserQuota: 1 } }),
        rule: 'plan/quota-groups',
        file: 'access/grants/dev/logs-read.yaml',
        message: /would be in 2 groups; the account allows 1/,
      },
      {
        name: 'inline policy size per user (2,048 characters, whitespace not counted)',
        files: { ...resource('big', `{ inlinePolicy: { Statement: [{ Effect: Allow, Action: [${Array.from({ length: 120 }, (_, i) => `"s3:GetObjectVersion${i}"`).join(', ')}], Resource: "*" }] } }`), ...grant('dev', 'big') },
        snap: account(base),
        rule: 'plan/quota-inline-size',
        file: 'access/grants/dev/big.yaml',
        message: /characters of inline policy .* allows 2048/,
      },
      {
        name: 'an IAM user that does not exist',
        files: grant('dev', 'prod-db'),
        snap: account({ dev2: {} }),
        rule: 'plan/unknown-iam-user',
        file: 'access/grants/dev/prod-db.yaml',
        message: /IAM user "dev" does not exist/,
      },
      {
        name: 'a group that does not exist',
        files: grant('dev', 'logs-read'),
        snap: account(base),
        rule: 'plan/unknown-group',
        file: 'access/grants/dev/logs-read.yaml',
        message: /IAM group "log-readers" does not exist/,
      },
      {
        name: "an account policy that does not exist",
        files: { ...resource('own', '{ managedPolicy: "arn:aws:iam::111122223333:policy/team-read" }'), ...grant('dev', 'own') },
        snap: account(base),
        rule: 'plan/unknown-policy',
        file: 'access/grants/dev/own.yaml',
        message: /team-read" does not exist/,
      },
      {
        name: 'a state of another account',
        files: grant('dev', 'prod-db'),
        snap: account(base, { accountId: '999999999999' }),
        rule: 'plan/wrong-account',
        file: 'access/grantops.yaml',
        message: /account 111122223333, but the IAM read names account 999999999999/,
      },
    ];

    it.each(problemCases)('fails on $name, located in the file to fix', ({ files, snap, rule, file, message }) => {
      const result = plan(files, snap);
      const problem = result.problems.find((p) => p.rule === rule);
      expect(problem).toMatchObject({ file, severity: 'error' });
      expect(problem!.line).toBeGreaterThan(0);
      expect(problem!.message).toMatch(message);
    });

    it('allows a swap at the quota: the removal frees the slot', () => {
      const result = plan({ ...grant('dev', 'prod-db'), ...resource('s3', `{ managedPolicy: "${S3}" }`), ...grant('dev', 's3', 'expired') }, account({ ...base, dev: { policies: [...tenPolicies.slice(1), S3] } }));
      expect(result.problems).toEqual([]);
      expect(brief(result.operations)).toEqual([`detach-user-policy dev ${S3}`, `attach-user-policy dev ${RDS}`]);
    });

    it('does not blame a plan for a limit the account already exceeds when it adds nothing of that kind', () => {
      const result = plan(grant('dev', 'logs-read'), account({ ...base, dev: { policies: [...tenPolicies, S3] } }, LOGS));
      expect(result.problems).toEqual([]);
    });
  });

  it('only plans the systems it is given, and a grant on an unplanned system changes nothing', () => {
    const { repo } = loadAccessRepo(snapshot(grant('dev', 'prod-db')), NOW);
    expect(planIam(repo, new Map(), { now: NOW })).toEqual({ systems: [], operations: [], manual: [], problems: [] });
  });

  it('a grant whose expiry is still ahead at another now is removed once that time has passed', () => {
    const files = grant('dev', 'prod-db');
    const { repo } = loadAccessRepo(snapshot(files), NOW);
    const snap = account({ ...base, dev: { policies: [RDS] } });
    expect(planIam(repo, new Map([['aws-prod', snap]]), { now: NOW }).operations).toEqual([]);
    const later = planIam(repo, new Map([['aws-prod', snap]]), { now: new Date('2026-11-27T00:00:00Z') });
    expect(brief(later.operations)).toEqual([`detach-user-policy dev ${RDS}`]);
  });
});

describe('inline policies end with their grant', () => {
  const tickets = resource('tickets', '{ inlinePolicy: { Version: "2012-10-17", Statement: [{ Effect: Allow, Action: "support:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } }, { Effect: Deny, Action: "support:Delete*", Resource: "*" }] } }');
  const ending = (expires: string): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'support:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' }, DateLessThan: { 'aws:CurrentTime': expires } } },
      // A Deny never ends: ending it would widen access.
      { Effect: 'Deny', Action: 'support:Delete*', Resource: '*' },
    ],
  });

  it("puts the document with each Allow statement ending at the grant's expires", () => {
    const result = plan({ ...tickets, ...grant('dev', 'tickets') }, account(base));
    expect(result.operations).toEqual([expect.objectContaining({ action: 'put-user-policy', principal: 'dev', target: 'grantops-tickets', document: ending('2026-11-27T00:00:00Z') })]);
  });

  it('leaves a policy that already ends then alone, and rewrites it when the grant is renewed', () => {
    const held = { ...base, dev: { inline: { 'grantops-tickets': ending('2026-11-27T00:00:00Z') } } };
    expect(plan({ ...tickets, ...grant('dev', 'tickets') }, account(held)).operations).toEqual([]);
    const renewed = { 'access/grants/dev/tickets.yaml': grantYaml({ user: 'dev', resource: 'tickets', reason: 'work', expires: '2026-12-01T00:00:00Z', approvalExpires: '2026-12-20T00:00:00Z', status: 'active' }) };
    expect(plan({ ...tickets, ...renewed }, account(held)).operations).toEqual([expect.objectContaining({ action: 'put-user-policy', document: ending('2026-12-01T00:00:00Z') })]);
  });

  it('keeps an earlier end the resource itself sets', () => {
    const early = resource('tickets', '{ inlinePolicy: { Statement: [{ Effect: Allow, Action: "support:*", Resource: "*", Condition: { DateLessThan: { "aws:CurrentTime": "2026-11-25T00:00:00Z" } } }] } }');
    const [op] = plan({ ...early, ...grant('dev', 'tickets') }, account(base)).operations;
    expect(op!.document).toEqual({ Statement: [{ Effect: 'Allow', Action: 'support:*', Resource: '*', Condition: { DateLessThan: { 'aws:CurrentTime': '2026-11-25T00:00:00Z' } } }] });
  });
});
