import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostic.js';
import type { Person } from '../model.js';
import { mergePeopleYaml } from './merge-people-yaml.js';
import { COLUMN_OF_FIELD, describeCell, parsePeopleCsv, type PeopleCsvRow } from './parse-people-csv.js';

export { CSV_COLUMNS } from './parse-people-csv.js';

export interface PeopleImportResult {
  /** The new text of people.yaml; undefined when any row is bad. */
  text?: string;
  added: string[];
  updated: string[];
  unchanged: string[];
  /** The rows read, by login, so later problems can be pointed back at the CSV. */
  rows: Map<string, PeopleCsvRow>;
  diagnostics: Diagnostic[];
}

/**
 * Merges people from CSV (header `login,name,email,manager,roles,aws_user`, roles separated by `;`) into
 * the text of people.yaml. New logins are appended; existing ones are updated in place, so comments and
 * everyone else stay as they were. Pure: the caller validates the whole repository and writes.
 */
export function importPeopleCsv(csvFile: string, csvText: string, peopleFile: string, peopleText: string | undefined): PeopleImportResult {
  const parsed = parsePeopleCsv(csvFile, csvText);
  const rows = new Map(parsed.rows.map((row) => [row.person.login, row]));
  if (parsed.diagnostics.length > 0) return { added: [], updated: [], unchanged: [], rows, diagnostics: parsed.diagnostics };
  const merged = mergePeopleYaml(peopleFile, peopleText, parsed.rows.map((row) => row.person));
  return { ...merged, rows };
}

/**
 * Validation runs on the merged people.yaml, which is not written when it fails; a problem with a person
 * the CSV brought or changed is pointed back at that person's row and column in the CSV instead.
 */
export function relocateToCsv(diagnostics: readonly Diagnostic[], csvFile: string, peopleFile: string, mergedText: string, rows: ReadonlyMap<string, PeopleCsvRow>): Diagnostic[] {
  const lines = new LineCounter();
  const doc = parseDocument(mergedText, { lineCounter: lines, logLevel: 'error' });
  const items = isSeq(doc.contents) ? doc.contents.items : [];
  return diagnostics.map((d) => {
    if (d.file !== peopleFile || d.line < 1) return d;
    const offset = (lines.lineStarts[d.line - 1] ?? 0) + d.column - 1;
    const item = items.find((node) => isMap(node) && node.range && node.range[0] <= offset && offset <= node.range[2]);
    if (!isMap(item)) return d;
    const row = rows.get(String(item.get('login')));
    if (!row) return d;
    const pair = item.items.find((p) => p.key && (p as Pair<Node, Node | null>).key.range![0] <= offset && offset <= ((p as Pair<Node, Node | null>).value?.range?.[2] ?? 0)) as Pair<Node, Node | null> | undefined;
    const field = (pair && isScalar(pair.key) ? String(pair.key.value) : 'login') as keyof Person;
    const column = COLUMN_OF_FIELD[field] ?? 'login';
    return { ...diagnostic(csvFile, row.cells[column] ?? row.cells.login!, d.rule, `${describeCell(row, column)}: ${d.message}`, d.severity) };
  });
}
