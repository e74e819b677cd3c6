import { loadAccessRepo } from '../../src/core/load-access-repo.js';
import { snapshot, grantYaml } from '../helpers/repo.js';

const NOW = new Date('2026-11-23T12:00:00Z');
const GRANT = 'access/grants/dev/prod-db.yaml';
const goodGrant = { user: 'dev', resource: 'prod-db', reason: 'debug', expires: '2026-11-28T00:00:00Z', approvalExpires: '2026-12-20T00:00:00Z', status: 'active' };

function errorsOf(overrides: Record<string, string | Uint8Array | null>) {
  return loadAccessRepo(snapshot(overrides), NOW).diagnostics.filter((d) => d.severity === 'error');
}

describe('loadAccessRepo', () => {
  it('accepts a valid organisation and resolves inherited sensitivity', () => {
    const { repo, diagnostics } = loadAccessRepo(snapshot({ [GRANT]: grantYaml(goodGrant) }), NOW);
    expect(diagnostics).toEqual([]);
    expect(repo.resources.get('prod-db')?.value.effectiveSensitivity).toBe('high');
    expect(repo.resources.get('logs-read')?.value.effectiveSensitivity).toBe('low');
    expect(repo.grants.get(GRANT)?.value.user).toBe('dev');
  });

  // Each broken input gives exactly the located diagnostic a person needs.
  const cases: { name: string; files: Record<string, string | Uint8Array | null>; file: string; line: number; column: number; rule: string; message: RegExp }[] = [
    { name: 'YAML syntax error', files: { [GRANT]: 'user: dev\nresource: [prod-db\n' }, file: GRANT, line: 3, column: 1, rule: 'yaml/syntax', message: /flow sequence|end of the stream|Missing/i },
    { name: 'duplicate key', files: { [GRANT]: grantYaml(goodGrant) + 'user: dev2\n' }, file: GRANT, line: 7, column: 1, rule: 'yaml/syntax', message: /unique/i },
    { name: 'empty file', files: { [GRANT]: '  \n' }, file: GRANT, line: 1, column: 1, rule: 'file/empty', message: /empty/ },
    { name: 'non-UTF-8 bytes', files: { [GRANT]: new Uint8Array([0x75, 0x73, 0x65, 0x72, 0x3a, 0x20, 0xff, 0xfe, 0x0a]) }, file: GRANT, line: 1, column: 1, rule: 'file/encoding', message: /UTF-8/ },
    { name: 'unknown key', files: { [GRANT]: grantYaml({ ...goodGrant, approver: 'mgr' }) }, file: GRANT, line: 7, column: 1, rule: 'schema/unknown-key', message: /unknown key "approver"/ },
    { name: 'wrong type', files: { [GRANT]: grantYaml({ ...goodGrant, reason: '[a, b]' }) }, file: GRANT, line: 3, column: 9, rule: 'schema/type', message: /"reason" must be string/ },
    { name: 'bad enum', files: { [GRANT]: grantYaml({ ...goodGrant, status: 'pending' }) }, file: GRANT, line: 6, column: 9, rule: 'schema/enum', message: /active, expired/ },
    { name: 'bad time', files: { [GRANT]: grantYaml({ ...goodGrant, expires: 'next tuesday' }) }, file: GRANT, line: 4, column: 10, rule: 'schema/format', message: /date-time/ },
    { name: 'missing key', files: { [GRANT]: 'user: dev\nresource: prod-db\nexpires: 2026-11-28T00:00:00Z\nstatus: active\n' }, file: GRANT, line: 1, column: 1, rule: 'schema/required', message: /"reason"/ },
    { name: 'bad duration', files: { 'access/resources/aws-prod/prod-db.yaml': 'id: prod-db\nsystem: aws-prod\nowners: [res-owner]\nmaxAccess: 3 days\ngrants: { group: x }\n' }, file: 'access/resources/aws-prod/prod-db.yaml', line: 4, column: 12, rule: 'schema/pattern', message: /maxAccess/ },
    { name: 'two grant kinds', files: { 'access/resources/aws-prod/prod-db.yaml': 'id: prod-db\nsystem: aws-prod\nowners: [res-owner]\ngrants: { group: x, managedPolicy: "arn:aws:iam::aws:policy/X" }\n' }, file: 'access/resources/aws-prod/prod-db.yaml', line: 4, column: 9, rule: 'schema/grants-kind', message: /exactly one/ },
    { name: 'unknown person', files: { 'access/grants/nobody/prod-db.yaml': grantYaml({ ...goodGrant, user: 'nobody' }) }, file: 'access/grants/nobody/prod-db.yaml', line: 1, column: 7, rule: 'ref/unknown-person', message: /"nobody"/ },
    { name: 'unknown resource', files: { 'access/grants/dev/nothing.yaml': grantYaml({ ...goodGrant, resource: 'nothing' }) }, file: 'access/grants/dev/nothing.yaml', line: 2, column: 11, rule: 'ref/unknown-resource', message: /"nothing"/ },
    { name: 'grant path mismatch', files: { 'access/grants/dev2/prod-db.yaml': grantYaml(goodGrant) }, file: 'access/grants/dev2/prod-db.yaml', line: 1, column: 7, rule: 'layout/grant-path', message: /grants\/dev2\// },
    { name: 'unknown system', files: { 'access/resources/aws-prod/prod-db.yaml': 'id: prod-db\nsystem: aws-dev\nowners: [res-owner]\ngrants: { group: x }\n' }, file: 'access/resources/aws-prod/prod-db.yaml', line: 2, column: 9, rule: 'layout/resource-path', message: /resources\/aws-prod\// },
    { name: 'unknown owner', files: { 'access/resources/aws-prod/prod-db.yaml': 'id: prod-db\nsystem: aws-prod\nowners: [ghost]\ngrants: { group: x }\n' }, file: 'access/resources/aws-prod/prod-db.yaml', line: 3, column: 10, rule: 'ref/unknown-person', message: /"ghost"/ },
    { name: 'duplicate resource id', files: { 'access/resources/aws-prod/other.yaml': 'id: prod-db\nsystem: aws-prod\nowners: [res-owner]\ngrants: { group: x }\n' }, file: 'access/resources/aws-prod/other.yaml', line: 1, column: 5, rule: 'resource/duplicate-id', message: /also declared/ },
    { name: 'no sensitivity matches', files: { 'access/resources/aws-prod/staging.yaml': 'id: staging\nsystem: aws-prod\nowners: [res-owner]\ngrants: { group: x }\n' }, file: 'access/resources/aws-prod/staging.yaml', line: 1, column: 5, rule: 'resource/no-sensitivity', message: /no defaults entry/ },
    { name: 'unknown manager', files: { 'access/people.yaml': '- { login: owner, name: O, manager: ghost }\n' }, file: 'access/people.yaml', line: 1, column: 37, rule: 'ref/unknown-manager', message: /"ghost"/ },
    { name: 'manager cycle', files: { 'access/people.yaml': '- { login: owner, name: O, manager: res-owner }\n- { login: res-owner, name: R, manager: owner }\n' }, file: 'access/people.yaml', line: 1, column: 37, rule: 'people/manager-cycle', message: /owner -> res-owner -> owner/ },
    { name: 'expires after approvalExpires', files: { [GRANT]: grantYaml({ ...goodGrant, approvalExpires: '2026-11-25T00:00:00Z' }) }, file: GRANT, line: 4, column: 10, rule: 'grant/expires-after-approval', message: /cannot outlive/ },
    { name: 'expires beyond maxAccess', files: { [GRANT]: grantYaml({ ...goodGrant, expires: '2026-12-05T00:00:00Z' }) }, file: GRANT, line: 4, column: 10, rule: 'grant/max-access', message: /more than 1w/ },
    { name: 'approvalExpires beyond approvalTtl', files: { [GRANT]: grantYaml({ ...goodGrant, approvalExpires: '2027-03-01T00:00:00Z' }) }, file: GRANT, line: 5, column: 18, rule: 'grant/approval-ttl', message: /approvalTtl of high/ },
    { name: 'org missing', files: { 'access/grantops.yaml': null }, file: 'access/grantops.yaml', line: 1, column: 1, rule: 'file/missing', message: /missing/ },
    { name: 'unknown sensitivity level', files: { 'access/resources/aws-prod/logs-read.yaml': 'id: logs-read\nsystem: aws-prod\nsensitivity: extreme\nowners: [res-owner]\ngrants: { group: x }\n' }, file: 'access/resources/aws-prod/logs-read.yaml', line: 3, column: 14, rule: 'resource/unknown-sensitivity', message: /"extreme"/ },
  ];

  it.each(cases)('$name -> $rule at $file:$line:$column', ({ files, file, line, column, rule, message }) => {
    const errors = errorsOf(files);
    const match = errors.find((d) => d.rule === rule);
    expect(match).toBeDefined();
    expect(match).toMatchObject({ file, line, column });
    expect(match!.message).toMatch(message);
  });

  it('warns, without failing, about an active grant already past its expiry', () => {
    const { diagnostics } = loadAccessRepo(snapshot({ [GRANT]: grantYaml({ ...goodGrant, expires: '2026-11-20T00:00:00Z' }) }), NOW);
    expect(diagnostics).toEqual([expect.objectContaining({ rule: 'grant/lapsed', severity: 'warning', line: 4 })]);
  });

  it('leaves a file that fails its schema out of the model', () => {
    const { repo } = loadAccessRepo(snapshot({ [GRANT]: grantYaml({ ...goodGrant, status: 'pending' }) }), NOW);
    expect(repo.grants.size).toBe(0);
  });
});
