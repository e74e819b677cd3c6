import { parse } from 'csv-parse/sync';
import { isMap, isSeq, parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { diagnostic, type Diagnostic } from './diagnostic.js';
import type { Person } from './model.js';
import { validateSchema } from './schemas/index.js';

export const CSV_COLUMNS = ['login', 'name', 'email', 'manager', 'roles', 'aws_user'] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];

export interface PeopleImportResult {
  /** The new text of people.yaml; undefined when any row is bad. */
  text?: string;
  added: string[];
  updated: string[];
  unchanged: string[];
  diagnostics: Diagnostic[];
}

function rowToPerson(row: Record<CsvColumn, string | undefined>): Person {
  const person: Person = { login: (row.login ?? '').trim(), name: (row.name ?? '').trim() };
  const email = row.email?.trim();
  const manager = row.manager?.trim();
  const roles = (row.roles ?? '').split(';').map((r) => r.trim()).filter(Boolean);
  const awsUser = row.aws_user?.trim();
  if (email) person.email = email;
  if (manager) person.manager = manager;
  if (roles.length > 0) person.roles = roles;
  if (awsUser) person.aws = { user: awsUser };
  return person;
}

const SCHEMA_FIELD_TO_COLUMN: Record<string, CsvColumn> = { login: 'login', name: 'name', email: 'email', manager: 'manager', roles: 'roles', aws: 'aws_user' };

/**
 * Merges people from CSV (header `login,name,email,manager,roles,aws_user`, roles separated by `;`) into
 * the text of people.yaml. New logins are appended; existing ones are updated in place, so comments and
 * everyone else stay as they were. Pure: the caller validates the whole repository and writes.
 */
export function importPeopleCsv(csvFile: string, csvText: string, peopleFile: string, peopleText: string | undefined): PeopleImportResult {
  const result: PeopleImportResult = { added: [], updated: [], unchanged: [], diagnostics: [] };
  let records: { record: Record<string, string>; info: { lines: number; columns: { name: string }[] } }[];
  try {
    records = parse(csvText, { columns: true, info: true, skip_empty_lines: true, trim: false, bom: true });
  } catch (error) {
    const e = error as { lines?: number; column?: number; message: string };
    result.diagnostics.push(diagnostic(csvFile, { line: e.lines ?? 1, column: 1 }, 'csv/syntax', e.message));
    return result;
  }
  const header = records[0]?.info.columns.map((c) => c.name) ?? csvText.split(/\r?\n/)[0]!.split(',').map((s) => s.trim());
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  const missing = (['login', 'name'] as const).filter((c) => !header.includes(c));
  for (const name of unknown) {
    result.diagnostics.push(diagnostic(csvFile, { line: 1, column: header.indexOf(name) + 1 }, 'csv/unknown-column', `unknown column "${name}" (expected ${CSV_COLUMNS.join(',')})`));
  }
  for (const name of missing) {
    result.diagnostics.push(diagnostic(csvFile, { line: 1, column: 1 }, 'csv/missing-column', `the header lacks the required column "${name}"`));
  }
  if (result.diagnostics.length > 0) return result;

  const doc = parseDocument(peopleText && peopleText.trim() !== '' ? peopleText : '[]\n');
  if (doc.errors.length > 0 || !isSeq(doc.contents)) {
    result.diagnostics.push(diagnostic(peopleFile, { line: 1, column: 1 }, 'csv/people-unreadable', `${peopleFile} must be a valid YAML list before people can be imported into it`));
    return result;
  }
  const seq = doc.contents as YAMLSeq;
  const byLogin = new Map<string, YAMLMap>();
  for (const item of seq.items) {
    if (isMap(item)) byLogin.set(String(item.get('login')), item);
  }
  const seen = new Map<string, number>();

  for (const { record, info } of records) {
    const person = rowToPerson(record as Record<CsvColumn, string>);
    const line = info.lines;
    for (const problem of validateSchema('people', [person], csvFile)) {
      const column = SCHEMA_FIELD_TO_COLUMN[String(problem.path?.[1])] ?? 'login';
      const value = record[column] ?? '';
      result.diagnostics.push(
        diagnostic(csvFile, { line, column: header.indexOf(column) + 1 }, problem.rule, `row ${line}, column ${column}: "${value}" is not valid (${problem.message.replace(/^"[^"]*" /, '')})`),
      );
    }
    if (person.login) {
      const earlier = seen.get(person.login);
      if (earlier !== undefined) {
        result.diagnostics.push(diagnostic(csvFile, { line, column: header.indexOf('login') + 1 }, 'csv/duplicate-login', `row ${line}: login "${person.login}" already appears on row ${earlier}`));
      }
      seen.set(person.login, line);
    }
    if (result.diagnostics.length > 0) continue;

    const existing = byLogin.get(person.login);
    if (!existing) {
      seq.add(doc.createNode(person, { flow: true }));
      result.added.push(person.login);
      continue;
    }
    const before = JSON.stringify(existing.toJSON());
    for (const [key, value] of Object.entries(person)) existing.set(key, doc.createNode(value, { flow: true }));
    if (JSON.stringify(existing.toJSON()) === before) result.unchanged.push(person.login);
    else result.updated.push(person.login);
  }
  if (result.diagnostics.length === 0) result.text = doc.toString({ lineWidth: 0, flowCollectionPadding: true });
  return result;
}
