import { buildDecisionRecord, serializeDecisionRecord } from '../../../src/core/decision-record.js';
import { findIamUsersIn, formerGrantsFromPaths, formerGrantsFromRecords } from '../../../src/core/plan/former-grants.js';

const COMMIT = 'a'.repeat(40);

function note(operations: { action: string; principal: string; resource: string; grant: string | null; status: 'done' | 'failed' }[], kind: 'apply' | 'expire' = 'apply'): string {
  const record = buildDecisionRecord({
    kind,
    commit: COMMIT,
    recordedAt: new Date('2026-11-20T00:00:00Z'),
    dir: 'access',
    rulesSha: COMMIT,
    grants: [],
    operations: operations.map(({ status, ...op }) => ({ operation: { system: 'aws-prod', target: 't', ...op }, status })),
  });
  return serializeDecisionRecord(record);
}

describe('former grants', () => {
  it('reads holders from grant file paths and ignores every other path', () => {
    expect(formerGrantsFromPaths('access', ['access/grants/kramer/prod-db.yaml', 'access/people.yaml', 'access/grants/kramer/notes.txt', 'other/grants/x/y.yaml'])).toEqual([
      { user: 'kramer', resource: 'prod-db', file: 'access/grants/kramer/prod-db.yaml' },
    ]);
  });

  it('takes from decision records the access grantops gave and to which IAM user, never removals, failures or expiries', () => {
    const text = note([
      { action: 'attach-user-policy', principal: 'cosmo.kramer', resource: 'prod-db', grant: 'access/grants/kramer/prod-db.yaml', status: 'done' },
      { action: 'add-user-to-group', principal: 'george', resource: 'logs', grant: 'access/grants/george/logs.yaml', status: 'failed' },
      { action: 'detach-user-policy', principal: 'elaine', resource: 'prod-db', grant: 'access/grants/elaine/prod-db.yaml', status: 'done' },
      { action: 'attach-user-policy', principal: 'drift', resource: 'prod-db', grant: null, status: 'done' },
      // A record whose grant path names another resource than the operation is not believed.
      { action: 'attach-user-policy', principal: 'newman', resource: 'prod-db', grant: 'access/grants/newman/other.yaml', status: 'done' },
    ]);
    expect(formerGrantsFromRecords([{ commit: COMMIT, text }])).toEqual([{ user: 'kramer', resource: 'prod-db', file: 'access/grants/kramer/prod-db.yaml', iamUser: 'cosmo.kramer' }]);
    expect(formerGrantsFromRecords([{ commit: COMMIT, text: note([{ action: 'attach-user-policy', principal: 'x', resource: 'r', grant: 'access/grants/x/r.yaml', status: 'done' }], 'expire') }])).toEqual([]);
  });

  it('does not believe a record whose digest does not match, or one on another commit', () => {
    const text = note([{ action: 'attach-user-policy', principal: 'cosmo.kramer', resource: 'prod-db', grant: 'access/grants/kramer/prod-db.yaml', status: 'done' }]);
    expect(formerGrantsFromRecords([{ commit: COMMIT, text: text.replace('cosmo.kramer', 'art.vandelay') }])).toEqual([]);
    expect(formerGrantsFromRecords([{ commit: 'b'.repeat(40), text }])).toEqual([]);
  });

  it('finds the IAM users of the logins asked for in one people.yaml version; an unparseable version names nobody', () => {
    const people = '- { login: kramer, name: K, aws: { user: cosmo.kramer } }\n- { login: george, name: G }\n- { login: elaine, name: E, aws: { user: elaine.benes } }\n';
    expect(findIamUsersIn(people, new Set(['kramer', 'george']))).toEqual(new Map([['kramer', 'cosmo.kramer']]));
    expect(findIamUsersIn('- { login: [', new Set(['kramer']))).toEqual(new Map());
    expect(findIamUsersIn('login: kramer', new Set(['kramer']))).toEqual(new Map());
  });
});
