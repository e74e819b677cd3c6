import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, copyExampleOrg, runCli } from '../helpers/cli.js';

const NOW = ['--now', '2026-11-23T12:00:00Z'];

describe('grantops validate on the example organisation', () => {
  it('passes on access/ in text, json and github formats', async () => {
    const text = await runCli(['validate', ...NOW], REPO_ROOT);
    expect(text).toMatchObject({ code: 0, err: '' });
    expect(text.out).toMatch(/^valid \(0 warnings\)$/m);

    const json = await runCli(['validate', ...NOW, '--format', 'json'], REPO_ROOT);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toEqual({ valid: true, diagnostics: [] });

    const github = await runCli(['validate', ...NOW, '--format', 'github'], REPO_ROOT);
    expect(github.code).toBe(0);
    expect(github.out).not.toMatch(/::error/);
  });

  it('warns, without failing, once the example grants have lapsed', async () => {
    // A year on, the active grants have lapsed: warnings, not errors (the expire run revokes them).
    const later = await runCli(['validate', '--now', '2027-12-01T00:00:00Z'], REPO_ROOT);
    expect(later.code).toBe(0);
    expect(later.out).toMatch(/access\/grants\/kramer\/prod-data-read\.yaml:4:10 warning grant\/lapsed/);
  });
});

type Fixture = {
  name: string;
  /** Breaks a fresh copy of the example organisation under `root`. */
  breakIt: (root: string) => void;
  file: string;
  line: number;
  column: number;
  rule: string;
  message: RegExp;
};

const at = (root: string, path: string) => join(root, 'access', path);
const write = (root: string, path: string, content: string | Uint8Array) => writeFileSync(at(root, path), content);
const edit = (root: string, path: string, change: (text: string) => string) =>
  writeFileSync(at(root, path), change(readFileSync(at(root, path), 'utf8')));
const replaceDir = (root: string, path: string) => {
  rmSync(at(root, path), { force: true });
  mkdirSync(at(root, path));
  writeFileSync(join(at(root, path), 'inside.txt'), 'a folder where a file should be\n');
};

const KRAMER = 'grants/kramer/prod-data-read.yaml';
const PEOPLE = 'people.yaml';

const fixtures: Fixture[] = [
  { name: 'people.yaml is a directory', breakIt: (r) => replaceDir(r, PEOPLE), file: 'access/people.yaml', line: 1, column: 1, rule: 'file/unreadable', message: /directory stands where a YAML file should be/ },
  { name: 'grantops.yaml is a directory', breakIt: (r) => replaceDir(r, 'grantops.yaml'), file: 'access/grantops.yaml', line: 1, column: 1, rule: 'file/unreadable', message: /directory/ },
  { name: 'a grant path is a directory', breakIt: (r) => replaceDir(r, KRAMER), file: `access/${KRAMER}`, line: 1, column: 1, rule: 'file/unreadable', message: /directory/ },
  { name: 'a grant is a symbolic link', breakIt: (r) => { rmSync(at(r, KRAMER)); symlinkSync(at(r, 'grants/jerry/developers.yaml'), at(r, KRAMER)); }, file: `access/${KRAMER}`, line: 1, column: 1, rule: 'file/unreadable', message: /symbolic link/ },
  { name: 'a non-UTF-8 file', breakIt: (r) => write(r, PEOPLE, Buffer.concat([readFileSync(at(r, PEOPLE)), Buffer.from([0x2d, 0x20, 0xc3, 0x28, 0x0a])])), file: 'access/people.yaml', line: 1, column: 1, rule: 'file/encoding', message: /UTF-8/ },
  { name: 'an empty file', breakIt: (r) => write(r, KRAMER, ''), file: `access/${KRAMER}`, line: 1, column: 1, rule: 'file/empty', message: /empty/ },
  { name: 'a YAML syntax error', breakIt: (r) => edit(r, 'resources/aws-prod/admin.yaml', (t) => t.replace('owners: [wilhelm]', 'owners: [wilhelm')), file: 'access/resources/aws-prod/admin.yaml', line: 6, column: 1, rule: 'yaml/syntax', message: /./ },
  { name: 'a duplicate key', breakIt: (r) => edit(r, KRAMER, (t) => `${t}status: expired\n`), file: `access/${KRAMER}`, line: 7, column: 1, rule: 'yaml/syntax', message: /unique/i },
  { name: 'an unresolved alias', breakIt: (r) => edit(r, KRAMER, (t) => t.replace('reason: Investigate OPS-123', 'reason: *why')), file: `access/${KRAMER}`, line: 3, column: 9, rule: 'yaml/alias', message: /why/ },
  { name: 'an unknown key', breakIt: (r) => edit(r, 'grantops.yaml', (t) => t.replace('expiry: { warnBefore: 3d }', 'expiry: { warnBefore: 3d, remindEvery: 1d }')), file: 'access/grantops.yaml', line: 19, column: 27, rule: 'schema/unknown-key', message: /unknown key "remindEvery" in "expiry"/ },
  { name: 'a wrong type', breakIt: (r) => edit(r, 'grantops.yaml', (t) => t.replace('accountId: "111122223333"', 'accountId: 111122223333')), file: 'access/grantops.yaml', line: 25, column: 37, rule: 'schema/type', message: /"systems.aws-prod.accountId" must be string/ },
  { name: 'an empty value (null, not absent)', breakIt: (r) => edit(r, 'resources/aws-prod/prod-db-admin.yaml', (t) => t.replace('maxAccess: 3d', 'maxAccess:')), file: 'access/resources/aws-prod/prod-db-admin.yaml', line: 6, column: 11, rule: 'schema/type', message: /"maxAccess" must be string/ },
  { name: 'a missing required key', breakIt: (r) => edit(r, KRAMER, (t) => t.replace('reason: Investigate OPS-123\n', '')), file: `access/${KRAMER}`, line: 1, column: 1, rule: 'schema/required', message: /"reason"/ },
  { name: 'an unknown manager', breakIt: (r) => edit(r, PEOPLE, (t) => t.replace('manager: george, aws: { user: cosmo.kramer }', 'manager: georgie, aws: { user: cosmo.kramer }')), file: 'access/people.yaml', line: 10, column: 81, rule: 'ref/unknown-manager', message: /"georgie"/ },
  { name: 'an unknown resource', breakIt: (r) => edit(r, KRAMER, (t) => t.replace('resource: prod-data-read', 'resource: prod-data-write')), file: `access/${KRAMER}`, line: 2, column: 11, rule: 'ref/unknown-resource', message: /"prod-data-write"/ },
  { name: 'an unknown resource owner', breakIt: (r) => edit(r, 'resources/aws-prod/admin.yaml', (t) => t.replace('owners: [wilhelm]', 'owners: [wilhelm, babu]')), file: 'access/resources/aws-prod/admin.yaml', line: 5, column: 19, rule: 'ref/unknown-person', message: /"babu"/ },
  { name: 'a grant filed under someone else', breakIt: (r) => { mkdirSync(at(r, 'grants/jerry'), { recursive: true }); write(r, 'grants/jerry/prod-data-read.yaml', readFileSync(at(r, KRAMER))); }, file: 'access/grants/jerry/prod-data-read.yaml', line: 1, column: 7, rule: 'layout/grant-path', message: /grants\/jerry\// },
  { name: 'a manager cycle', breakIt: (r) => edit(r, PEOPLE, (t) => t.replace('login: head-honcho, name: Art Vandelay,', 'login: head-honcho, name: Art Vandelay, manager: george,')), file: 'access/people.yaml', line: 2, column: 54, rule: 'people/manager-cycle', message: /head-honcho -> george -> head-honcho/ },
  { name: 'access beyond maxAccess', breakIt: (r) => edit(r, KRAMER, (t) => t.replace('expires: 2026-12-07T00:00:00Z', 'expires: 2027-01-07T00:00:00Z')), file: `access/${KRAMER}`, line: 4, column: 10, rule: 'grant/max-access', message: /30d|4w/ },
  { name: 'a YAML file outside the layout', breakIt: (r) => write(r, 'grants/notes.yaml', 'todo: tidy up\n'), file: 'access/grants/notes.yaml', line: 1, column: 1, rule: 'layout/unexpected-file', message: /not part of the access layout/ },
  { name: 'an expired grant carrying an approval beyond approvalTtl', breakIt: (r) => edit(r, KRAMER, (t) => t.replace('status: active', 'status: expired').replace(/approvalExpires: .*/, 'approvalExpires: 2028-01-01T00:00:00Z')), file: `access/${KRAMER}`, line: 5, column: 18, rule: 'grant/approval-ttl', message: /approvalTtl of low/ },
  { name: 'a grant saved as .YAML', breakIt: (r) => write(r, 'grants/kramer/admin.YAML', readFileSync(at(r, KRAMER))), file: 'access/grants/kramer/admin.YAML', line: 1, column: 1, rule: 'layout/unexpected-file', message: /not part of the access layout/ },
  { name: 'a non-YAML file under resources/', breakIt: (r) => write(r, 'resources/aws-prod/README.md', '# notes\n'), file: 'access/resources/aws-prod/README.md', line: 1, column: 1, rule: 'layout/unexpected-file', message: /not part of the access layout/ },
  { name: 'an attributes file in the access directory', breakIt: (r) => write(r, '.gitattributes', '*.yaml eol=crlf\n'), file: 'access/.gitattributes', line: 1, column: 1, rule: 'layout/unexpected-file', message: /not part of the access layout/ },
  { name: 'a user folder that is a symlink', breakIt: (r) => symlinkSync('kramer', at(r, 'grants/cosmo')), file: 'access/grants/cosmo', line: 1, column: 1, rule: 'file/unreadable', message: /symbolic link/ },
  { name: 'a glob bomb in defaults', breakIt: (r) => edit(r, 'grantops.yaml', (t) => t.replace('resources: "*", sensitivity: medium', `resources: "${'{a,b}'.repeat(30)}", sensitivity: medium`)), file: 'access/grantops.yaml', line: 17, column: 18, rule: 'rules/glob', message: /more than 64 alternatives/ },
];

describe('grantops validate on broken organisations', () => {
  let root: string;
  let cleanup: () => void;
  beforeEach(() => ({ root, cleanup } = copyExampleOrg()));
  afterEach(() => cleanup());

  it.each(fixtures)('$name -> exit 2, $rule at $file:$line:$column in every format', async ({ breakIt, file, line, column, rule, message }) => {
    breakIt(root);

    const text = await runCli(['validate', ...NOW], root);
    expect(text.code).toBe(2);
    expect(text.err).toBe('');
    const wanted = new RegExp(`^${escape(`${file}:${line}:${column} error ${rule} `)}(.*)$`, 'm');
    expect(text.out).toMatch(wanted);
    expect(wanted.exec(text.out)![1]).toMatch(message);
    expect(text.out).toMatch(/^\d+ errors?, \d+ warnings?$/m);
    expect(text.out).not.toMatch(/\n\s+at /); // no stack trace

    const json = await runCli(['validate', ...NOW, '--format', 'json'], root);
    expect(json.code).toBe(2);
    const report = JSON.parse(json.out) as { valid: boolean; diagnostics: object[] };
    expect(report.valid).toBe(false);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ file, line, column, rule, severity: 'error', message: expect.stringMatching(message) }));

    const github = await runCli(['validate', ...NOW, '--format', 'github'], root);
    expect(github.code).toBe(2);
    expect(github.out.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`^::error file=${escape(file)},line=${line},col=${column},title=${escape(rule.replace(/:/g, '%3A'))}::`)));
  });

  it('reports a missing access directory as a located error, not a crash', async () => {
    const run = await runCli(['validate', '--dir', 'nowhere', ...NOW], root);
    expect(run.code).toBe(2);
    expect(run.out).toMatch(/^nowhere:1:1 error file\/unreadable the access directory "nowhere" does not exist$/m);
  });

  it('reads an access directory given by another path, and names files by that path', async () => {
    mkdirSync(join(root, 'org'));
    const run = await runCli(['validate', '--dir', '../access', ...NOW], join(root, 'org'));
    expect(run).toMatchObject({ code: 0, out: 'valid (0 warnings)' });
    edit(root, KRAMER, (t) => t.replace('status: active', 'status: pending'));
    const broken = await runCli(['validate', '--dir', '../access', ...NOW], join(root, 'org'));
    expect(broken.out).toMatch(/^\.\.\/access\/grants\/kramer\/prod-data-read\.yaml:6:9 error schema\/enum /m);
  });

  it('reports every broken file in one run, sorted by file and line', async () => {
    for (const name of ['an empty file', 'an unknown key', 'an unknown manager']) fixtures.find((f) => f.name === name)!.breakIt(root);
    const run = await runCli(['validate', ...NOW], root);
    const located = run.out.split('\n').filter((l) => / error /.test(l)).map((l) => l.split(' ')[0]);
    expect(located).toEqual(['access/grantops.yaml:19:27', `access/${KRAMER}:1:1`, 'access/people.yaml:10:81']);
  });

  it('rejects a bad --format or --now with exit 64 (usage, not an invalid directory) and a message', async () => {
    const format = await runCli(['validate', '--format', 'xml'], root);
    expect(format.code).toBe(64);
    expect(format.err).toMatch(/expected one of text, json, github/);
    const now = await runCli(['validate', '--now', 'tomorrow'], root);
    expect(now.code).toBe(64);
    expect(now.err).toMatch(/"tomorrow" is not an ISO 8601 time/);
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
