import { parse } from 'csv-parse/sync';
import { diagnostic, sortDiagnostics, type Diagnostic, type Position } from '../diagnostic.js';
import type { Person } from '../model.js';
import { validateSchema } from '../schemas/index.js';

/** The CSV header an admin exports from an HR tool or a spreadsheet; `roles` are separated by `;`. */
export const CSV_COLUMNS = ['login', 'name', 'email', 'manager', 'roles', 'aws_user'] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Columns every row must fill: a row describes one whole person. */
const REQUIRED_COLUMNS: readonly CsvColumn[] = ['login', 'name'];

/** Which CSV column a person field comes from, to point a problem at the cell the admin wrote. */
export const COLUMN_OF_FIELD: Record<keyof Person, CsvColumn> = {
  login: 'login',
  name: 'name',
  email: 'email',
  manager: 'manager',
  roles: 'roles',
  aws: 'aws_user',
};

export interface PeopleCsvRow {
  /** 1-based, counting data rows only (the header is not a row). */
  row: number;
  /** Only the fields whose cells are filled: an empty cell leaves an existing value alone. */
  person: Person;
  /** Where each column's cell starts in the CSV file. */
  cells: Partial<Record<CsvColumn, Position>>;
}

export interface PeopleCsvParseResult {
  rows: PeopleCsvRow[];
  diagnostics: Diagnostic[];
}

interface RawRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

/** "row 3 (line 5), column manager: …": names the row a spreadsheet shows and the line an editor shows. */
export function describeCell(row: PeopleCsvRow, column: CsvColumn): string {
  const at = row.cells[column] ?? row.cells.login;
  return `row ${row.row}${at ? ` (line ${at.line})` : ''}, column ${column}`;
}

/**
 * Reads the people CSV into rows, checking the header and every cell against the people schema. Any
 * problem is a diagnostic at the offending cell, named by row and column; rows are returned only when
 * there is none, so a caller never merges half a file.
 */
export function parsePeopleCsv(file: string, text: string): PeopleCsvParseResult {
  if (text.trim() === '') {
    return { rows: [], diagnostics: [diagnostic(file, { line: 1, column: 1 }, 'csv/empty', `the file is empty: it needs the header ${CSV_COLUMNS.join(',')}`)] };
  }
  let records: RawRecord[];
  try {
    records = parse(text, { info: true, raw: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as unknown as RawRecord[];
  } catch (error) {
    const e = error as { lines?: number; message: string };
    return { rows: [], diagnostics: [diagnostic(file, { line: e.lines ?? 1, column: 1 }, 'csv/syntax', e.message)] };
  }

  const [headerRecord, ...dataRecords] = records;
  const headerCells = cellPositions(headerRecord!);
  const header = headerRecord!.record.map((name) => name.trim());
  const diagnostics: Diagnostic[] = [];
  header.forEach((name, i) => {
    if (!(CSV_COLUMNS as readonly string[]).includes(name)) {
      diagnostics.push(diagnostic(file, headerCells[i]!, 'csv/unknown-column', `unknown column "${name}" in the header (the columns are ${CSV_COLUMNS.join(',')})`));
    } else if (header.indexOf(name) !== i) {
      diagnostics.push(diagnostic(file, headerCells[i]!, 'csv/duplicate-column', `column "${name}" appears twice in the header`));
    }
  });
  for (const name of REQUIRED_COLUMNS) {
    if (!header.includes(name)) {
      diagnostics.push(diagnostic(file, headerCells[0]!, 'csv/missing-column', `the header lacks the column "${name}" (the columns are ${CSV_COLUMNS.join(',')})`));
    }
  }
  if (diagnostics.length > 0) return { rows: [], diagnostics: sortDiagnostics(diagnostics) };

  const rows: PeopleCsvRow[] = [];
  const firstRowOf = new Map<string, PeopleCsvRow>();
  dataRecords.forEach((record, index) => {
    const positions = cellPositions(record);
    const cells: PeopleCsvRow['cells'] = {};
    const values: Partial<Record<CsvColumn, string>> = {};
    header.forEach((name, i) => {
      cells[name as CsvColumn] = positions[i] ?? positions.at(-1)!;
      values[name as CsvColumn] = (record.record[i] ?? '').trim();
    });
    const row: PeopleCsvRow = { row: index + 1, person: toPerson(values), cells };

    if (record.record.length !== header.length) {
      diagnostics.push(
        diagnostic(file, positions[0]!, 'csv/field-count', `row ${row.row} (line ${positions[0]!.line}) has ${record.record.length} fields but the header has ${header.length}`),
      );
      return;
    }
    for (const column of REQUIRED_COLUMNS) {
      if (values[column] === '') diagnostics.push(diagnostic(file, cells[column]!, 'csv/empty-cell', `${describeCell(row, column)}: a ${column} is required`));
    }
    if (values.login === '' || values.name === '') return;
    for (const problem of validateSchema('people', [row.person], file)) {
      const field = problem.path?.[1] as keyof Person | undefined;
      const column = (field && COLUMN_OF_FIELD[field]) ?? 'login';
      diagnostics.push(
        diagnostic(file, cells[column]!, problem.rule, `${describeCell(row, column)}: "${values[column] ?? ''}" ${problem.message.replace(/^"[^"]*" /, '')}`),
      );
    }
    const earlier = firstRowOf.get(row.person.login);
    if (earlier) {
      diagnostics.push(diagnostic(file, cells.login!, 'csv/duplicate-login', `${describeCell(row, 'login')}: "${row.person.login}" is already on row ${earlier.row}`));
    } else {
      firstRowOf.set(row.person.login, row);
    }
    rows.push(row);
  });
  return diagnostics.length > 0 ? { rows: [], diagnostics } : { rows, diagnostics };
}

function toPerson(values: Partial<Record<CsvColumn, string>>): Person {
  const person: Person = { login: values.login ?? '', name: values.name ?? '' };
  const roles = (values.roles ?? '').split(';').map((r) => r.trim()).filter(Boolean);
  if (values.email) person.email = values.email;
  if (values.manager) person.manager = values.manager;
  if (roles.length > 0) person.roles = roles;
  if (values.aws_user) person.aws = { user: values.aws_user };
  return person;
}

/**
 * Where each field of a record starts (line and column in the file). csv-parse gives a record's raw text
 * and the line it ends on; the fields are found again by walking the raw text with the same quoting rules.
 */
function cellPositions({ raw, info }: RawRecord): Position[] {
  // The raw text may start with the blank lines skipped before the record, and end with (part of) its line end.
  const body = raw.replace(/^[\r\n]+/, '').replace(/[\r\n]+$/, '');
  let line = info.lines - (body.match(/\n/g)?.length ?? 0);
  let column = 1;
  let quoted = false;
  const starts: Position[] = [{ line, column }];
  for (const char of body) {
    if (char === '"') quoted = !quoted;
    if (char === '\n') {
      line += 1;
      column = 1;
      continue;
    }
    column += 1;
    if (char === ',' && !quoted) starts.push({ line, column });
  }
  return starts;
}
