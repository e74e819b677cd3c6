import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Person } from '../../src/core/model.js';
import { copyExampleOrg, runCli } from '../helpers/cli.js';

const NOW = ['--now', '2026-11-23T12:00:00Z'];
const HEADER = 'login,name,email,manager,roles,aws_user';

function toCsvLine(p: Person): string {
  const cell = (s: string | undefined) => (s === undefined ? '' : /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return [p.login, p.name, p.email, p.manager, p.roles?.join(';'), p.aws?.user].map(cell).join(',');
}

describe('grantops people import-csv', () => {
  let root: string;
  let cleanup: () => void;
  const peoplePath = () => join(root, 'access', 'people.yaml');
  const people = () => readFileSync(peoplePath(), 'utf8');
  const csv = (text: string) => {
    writeFileSync(join(root, 'people.csv'), text);
    return 'people.csv';
  };
  /** The access directory holds no temporary file and people.yaml is byte for byte what it was. */
  const expectUntouched = (before: string) => {
    expect(people()).toBe(before);
    expect(readdirSync(join(root, 'access')).sort()).toEqual(['grantops.yaml', 'grants', 'people.yaml', 'resources']);
  };
  beforeEach(() => ({ root, cleanup } = copyExampleOrg()));
  afterEach(() => cleanup());

  it('round-trips the example org chart: people.yaml rebuilt from its own CSV validates and holds the same people', async () => {
    const original = parse(people()) as Person[];
    rmSync(peoplePath());
    const file = csv([HEADER, ...original.map(toCsvLine)].join('\n') + '\n');

    const run = await runCli(['people', 'import-csv', file, ...NOW], root);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out).toMatch(/^people\.yaml: 11 added, 0 updated, 0 unchanged$/m);
    expect(parse(people())).toEqual(original);
    expect(await runCli(['validate', ...NOW], root)).toMatchObject({ code: 0, out: 'valid (0 warnings)' });
  });

  it('adds and updates people, keeps comments and everyone else, validates, and a re-import is a no-op', async () => {
    const before = people();
    const file = csv(`${HEADER}
babs,Babs Kramer,babs@vandelay.example,kramer,,babs.kramer
jackie,"Chiles, Jackie",jackie@vandelay.example,head-honcho,lawyer;executive,jackie.chiles
kramer,Cosmo Kramer,cosmo@vandelay.example,george,contractor,
`);
    const run = await runCli(['people', 'import-csv', file, '--dir', 'access', ...NOW], root);
    expect(run).toMatchObject({ code: 0, err: '' });
    expect(run.out.split('\n')).toEqual(['people.yaml: 2 added, 1 updated, 0 unchanged', '  + babs', '  + jackie', '  ~ kramer']);

    const after = people();
    const kramerBefore = '- { login: kramer, name: Cosmo Kramer, email: kramer@vandelay.example, manager: george, aws: { user: cosmo.kramer } }';
    const kramerAfter = '- { login: kramer, name: Cosmo Kramer, email: cosmo@vandelay.example, manager: george, roles: [contractor], aws: { user: cosmo.kramer } }';
    expect(after).toBe(
      before.replace(kramerBefore, kramerAfter) +
        '- { login: babs, name: Babs Kramer, email: babs@vandelay.example, manager: kramer, aws: { user: babs.kramer } }\n' +
        '- { login: jackie, name: "Chiles, Jackie", email: jackie@vandelay.example, manager: head-honcho, roles: [lawyer, executive], aws: { user: jackie.chiles } }\n',
    );
    expect(after).toContain('# Contractors\n');
    expect(await runCli(['validate', ...NOW], root)).toMatchObject({ code: 0 });
    expect(readdirSync(join(root, 'access')).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const again = await runCli(['people', 'import-csv', file, ...NOW], root);
    expect(again).toMatchObject({ code: 0, out: 'people.yaml is already up to date (0 added, 0 updated, 3 unchanged)' });
    expect(people()).toBe(after);
  });

  it('writes nothing when any row is bad, naming each bad row and column', async () => {
    const before = people();
    const file = csv(`${HEADER}\nbabs,Babs Kramer,babs@vandelay.example,kramer,,babs.kramer\njackie,Jackie,jackie-at-vandelay,,,\n,Nobody,,,,\n`);
    const run = await runCli(['people', 'import-csv', file, ...NOW], root);
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toMatch(/^people\.csv:3:15 error schema\/format row 2 \(line 3\), column email: "jackie-at-vandelay" must be a valid email$/m);
    expect(run.err).toMatch(/^people\.csv:4:1 error csv\/empty-cell row 3 \(line 4\), column login: a login is required$/m);
    expect(run.err).toMatch(/^people\.yaml was not changed$/m);
    expectUntouched(before);
  });

  it('writes nothing when the result would not validate, and points the problem at the CSV cell', async () => {
    const before = people();
    const file = csv(`${HEADER}\nbabs,Babs Kramer,,kramer,,babs.kramer\nlloyd,Lloyd Braun,,steinbrenner,,lloyd.braun\n`);
    const run = await runCli(['people', 'import-csv', file, ...NOW], root);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^people\.csv:3:20 error ref\/unknown-manager row 2 \(line 3\), column manager: manager "steinbrenner" of "lloyd" is not in people\.yaml$/m);
    expectUntouched(before);
  });

  it('writes nothing when an update would create a manager cycle', async () => {
    const before = people();
    const run = await runCli(['people', 'import-csv', csv(`${HEADER}\nhead-honcho,Art Vandelay,,kramer,,\n`), ...NOW], root);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/error people\/manager-cycle .*head-honcho -> kramer -> george -> head-honcho/);
    expectUntouched(before);
  });

  it('writes nothing while another file of the access directory is invalid', async () => {
    const before = people();
    writeFileSync(join(root, 'access/grants/kramer/prod-data-read.yaml'), 'user: kramer\n');
    const run = await runCli(['people', 'import-csv', csv(`${HEADER}\nbabs,Babs Kramer,,kramer,,\n`), ...NOW], root);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^access\/grants\/kramer\/prod-data-read\.yaml:1:1 error schema\/required /m);
    expectUntouched(before);
  });

  it.each([
    ['a missing CSV', null, /^nothing\.csv:1:1 error file\/unreadable no such file$/m],
    ['a CSV that is not UTF-8', Buffer.from([0x6c, 0x6f, 0x67, 0x69, 0x6e, 0x2c, 0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x62, 0x2c, 0xe9, 0x0a]), /^nothing\.csv:1:1 error file\/encoding /m],
    ['an empty CSV', '', /^nothing\.csv:1:1 error csv\/empty /m],
  ])('reports %s as a located error and writes nothing', async (_name, content, message) => {
    const before = people();
    if (content !== null) writeFileSync(join(root, 'nothing.csv'), content);
    const run = await runCli(['people', 'import-csv', 'nothing.csv', ...NOW], root);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(message);
    expectUntouched(before);
  });

  it('refuses to import into a people.yaml that is not a list', async () => {
    writeFileSync(peoplePath(), 'head-honcho: { name: Art Vandelay }\n');
    const before = people();
    const run = await runCli(['people', 'import-csv', csv(`${HEADER}\nbabs,Babs Kramer,,,,\n`), ...NOW], root);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(/^access\/people\.yaml:1:1 error people\/not-a-list /m);
    expectUntouched(before);
  });
});
