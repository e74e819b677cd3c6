import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/cli.js';

const NOW = ['--now', '2026-11-23T12:00:00Z'];
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'grantops-import-'));
  cpSync(join(REPO_ROOT, 'test/fixtures/cloudsplaining/example-authz-details.json'), join(root, 'state.json'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const read = (path: string) => readFileSync(join(root, path), 'utf8');

describe('grantops import (file provider): import, then validate and plan against the same account', () => {
  it('bootstraps a repository that validates and plans no operations', async () => {
    const run = await runCli(['import', ...NOW, '--state', 'state.json', '--system', 'aws-test', '--out', 'access'], root);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toMatch(/^imported into access: 3 people, \d+ resources, \d+ grants/);
    expect(run.out).toMatch(/role\/MyRole: roles are not granted to people/);
    expect(run.out).toMatch(/user\/biden: inline policy InsecureUserPolicy/);

    expect(read('access/grantops.yaml')).toMatch(/aws-test: \{ type: aws, accountId: "012345678901" \}/);
    expect(read('access/people.yaml')).toMatch(/^- \{ login: biden, name: biden, aws: \{ user: biden \} \}  # placeholder: put the GitHub login, name and manager$/m);
    // obama holds AdministratorAccess: the bootstrapped organisation's owner, to be confirmed.
    expect(read('access/people.yaml')).toMatch(/^- \{ login: obama, name: obama, roles: \[ executive \], aws: \{ user: obama \} \}/m);
    expect(read('access/grantops.yaml')).toMatch(/^owners:\n  - obama$/m);
    const admin = read('access/resources/aws-test/administrator-access.yaml');
    expect(admin).toMatch(/^sensitivity: critical$/m);
    expect(admin).toMatch(/^grants: \{ managedPolicy: arn:aws:iam::aws:policy\/AdministratorAccess \}$/m);
    expect(read('access/grants/obama/admin.yaml')).toMatch(/^user: obama\nresource: admin\nreason: imported\nexpires: 2026-11-24T12:00:00Z\napprovalExpires: 2026-12-23T12:00:00Z\nstatus: active$/m);

    expect(await runCli(['validate', ...NOW], root)).toMatchObject({ code: 0, out: expect.stringMatching(/^valid/m) });
    const plan = await runCli(['plan', ...NOW, '--state', 'state.json', '--format', 'json'], root);
    expect(plan.code).toBe(0);
    expect(JSON.parse(plan.out)).toMatchObject({ operations: [], manual: [] });
  });

  it('extends an existing repository: new people and resources, the system added, nothing duplicated', async () => {
    expect((await runCli(['import', ...NOW, '--state', 'state.json', '--system', 'aws-test', '--out', 'access'], root)).code).toBe(0);
    const grantsBefore = read('access/people.yaml');
    // A second account joins as another system; the users are already people.
    expect((await runCli(['import', ...NOW, '--state', 'state.json', '--system', 'aws-test', '--out', 'access'], root)).out).toMatch(/^imported into access: 0 people, 0 resources, 0 grants \(0 files written\)/);
    expect(read('access/people.yaml')).toBe(grantsBefore);

    writeFileSync(join(root, 'access/grantops.yaml'), `# kept comment\n${read('access/grantops.yaml')}`);
    const second = await runCli(['import', ...NOW, '--state', 'state.json', '--system', 'aws-other', '--out', 'access'], root);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/^imported into access: 0 people, \d+ resources, \d+ grants/);
    expect(read('access/grantops.yaml')).toMatch(/^# kept comment\n/);
    expect(read('access/grantops.yaml')).toMatch(/aws-other: \{ type: aws, accountId: "012345678901" \}/);
    expect(read('access/resources/aws-other/administrator-access-2.yaml')).toMatch(/^system: aws-other$/m);
    expect(await runCli(['validate', ...NOW], root)).toMatchObject({ code: 0 });
  });

  it('writes nothing into a directory that does not validate', async () => {
    cpSync(join(REPO_ROOT, 'access'), join(root, 'access'), { recursive: true });
    writeFileSync(join(root, 'access/people.yaml'), 'not: [a list\n');
    const run = await runCli(['import', ...NOW, '--state', 'state.json', '--out', 'access'], root);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/does not validate; fix it before importing into it/);
  });
});
