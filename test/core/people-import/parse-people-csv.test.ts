import { parsePeopleCsv } from '../../../src/core/people-import/parse-people-csv.js';

const HEADER = 'login,name,email,manager,roles,aws_user';

describe('parsePeopleCsv', () => {
  it('reads rows into people, leaving empty cells out and splitting roles on ;', () => {
    const csv = `${HEADER}\nbabs,Babs Kramer,babs@vandelay.example,kramer,,babs.kramer\njackie,"Chiles, Jackie",,head-honcho, lawyer ; executive ,\n`;
    const { rows, diagnostics } = parsePeopleCsv('people.csv', csv);
    expect(diagnostics).toEqual([]);
    expect(rows.map((r) => r.person)).toEqual([
      { login: 'babs', name: 'Babs Kramer', email: 'babs@vandelay.example', manager: 'kramer', aws: { user: 'babs.kramer' } },
      { login: 'jackie', name: 'Chiles, Jackie', manager: 'head-honcho', roles: ['lawyer', 'executive'] },
    ]);
    expect(rows[1]!.row).toBe(2);
    expect(rows[1]!.cells.manager).toEqual({ line: 3, column: 26 });
  });

  it('accepts a byte order mark, CRLF line ends, blank lines, columns in any order and only the required ones', () => {
    const csv = '\uFEFFname,login\r\nBabs Kramer,babs\r\n\r\nJackie Chiles,jackie\r\n';
    const { rows, diagnostics } = parsePeopleCsv('people.csv', csv);
    expect(diagnostics).toEqual([]);
    expect(rows.map((r) => [r.row, r.person])).toEqual([
      [1, { login: 'babs', name: 'Babs Kramer' }],
      [2, { login: 'jackie', name: 'Jackie Chiles' }],
    ]);
    expect(rows[1]!.cells.login).toEqual({ line: 4, column: 15 });
  });

  it('locates cells after a quoted field that spans lines', () => {
    const csv = `${HEADER}\nbabs,"Babs\nKramer",not-an-email,,,\n`;
    const { diagnostics } = parsePeopleCsv('people.csv', csv);
    expect(diagnostics).toEqual([expect.objectContaining({ rule: 'schema/format', line: 3, column: 9 })]);
  });

  // Each bad input names the row and the column, at the cell's line and column in the file.
  const bad: { name: string; csv: string; rule: string; line: number; column: number; message: RegExp }[] = [
    { name: 'an empty file', csv: '\n', rule: 'csv/empty', line: 1, column: 1, message: /header login,name/ },
    { name: 'an unknown column', csv: 'login,name,phone\nbabs,Babs,555\n', rule: 'csv/unknown-column', line: 1, column: 12, message: /unknown column "phone"/ },
    { name: 'a missing required column', csv: 'login,email\nbabs,b@x.example\n', rule: 'csv/missing-column', line: 1, column: 1, message: /lacks the column "name"/ },
    { name: 'a column twice', csv: 'login,name,login\nbabs,Babs,babs\n', rule: 'csv/duplicate-column', line: 1, column: 12, message: /"login" appears twice/ },
    { name: 'an unclosed quote', csv: `${HEADER}\nbabs,"Babs,,,,\n`, rule: 'csv/syntax', line: 2, column: 1, message: /Quote Not Closed/i },
    { name: 'too few fields', csv: `${HEADER}\nbabs,Babs\n`, rule: 'csv/field-count', line: 2, column: 1, message: /row 1 \(line 2\) has 2 fields but the header has 6/ },
    { name: 'an empty login', csv: `${HEADER}\n,Babs,,,,\n`, rule: 'csv/empty-cell', line: 2, column: 1, message: /row 1 \(line 2\), column login: a login is required/ },
    { name: 'an empty name', csv: `${HEADER}\nbabs, ,,,,\n`, rule: 'csv/empty-cell', line: 2, column: 6, message: /column name: a name is required/ },
    { name: 'a bad login', csv: `${HEADER}\nbabs kramer,Babs,,,,\n`, rule: 'schema/pattern', line: 2, column: 1, message: /row 1 \(line 2\), column login: "babs kramer" does not match/ },
    { name: 'a bad email', csv: `${HEADER}\nok,Ok,,,,\nbabs,Babs,babs-at-example,,,\n`, rule: 'schema/format', line: 3, column: 11, message: /row 2 \(line 3\), column email: "babs-at-example" must be a valid email/ },
    { name: 'a bad manager', csv: `${HEADER}\nbabs,Babs,,Mr Kramer,,\n`, rule: 'schema/pattern', line: 2, column: 12, message: /column manager: "Mr Kramer"/ },
    { name: 'a role twice', csv: `${HEADER}\nbabs,Babs,,,dev;dev,\n`, rule: 'schema/uniqueItems', line: 2, column: 13, message: /column roles: "dev;dev"/ },
    { name: 'a bad IAM user name', csv: `${HEADER}\nbabs,Babs,,,,babs kramer\n`, rule: 'schema/pattern', line: 2, column: 14, message: /column aws_user: "babs kramer"/ },
    { name: 'a login twice', csv: `${HEADER}\nbabs,Babs,,,,\njackie,Jackie,,,,\nbabs,Babs K,,,,\n`, rule: 'csv/duplicate-login', line: 4, column: 1, message: /row 3 \(line 4\), column login: "babs" is already on row 1/ },
  ];

  it.each(bad)('$name -> $rule at $line:$column, and no rows', ({ csv, rule, line, column, message }) => {
    const { rows, diagnostics } = parsePeopleCsv('people.csv', csv);
    expect(rows).toEqual([]);
    const found = diagnostics.find((d) => d.rule === rule);
    expect(found).toMatchObject({ file: 'people.csv', line, column, severity: 'error' });
    expect(found!.message).toMatch(message);
  });

  it('reports every bad row, not only the first', () => {
    const { diagnostics } = parsePeopleCsv('people.csv', `${HEADER}\nbabs,Babs,bad,,,\nok,Ok,,,,\njackie,Jackie,,,,x y\n`);
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.rule}`)).toEqual(['2:11 schema/format', '4:18 schema/pattern']);
  });
});
