import { isDeepStrictEqual } from 'node:util';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, stringify, type Node, type Pair, type YAMLMap } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostic.js';
import type { Person } from '../model.js';

/** The order fields are written in, that of DESIGN §2 and of the CSV header. */
const FIELD_ORDER: readonly (keyof Person)[] = ['login', 'name', 'email', 'manager', 'roles', 'aws'];

export interface PeopleMergeResult {
  /** The new text of people.yaml; undefined when it could not be merged into. */
  text?: string;
  added: string[];
  updated: string[];
  unchanged: string[];
  diagnostics: Diagnostic[];
}

interface Edit {
  /** Order of creation: edits at the same offset are applied last-first so they read in this order. */
  order: number;
  start: number;
  end: number;
  text: string;
}

/**
 * Merges people into the text of people.yaml by editing the text, not by re-printing the document: a
 * new login is appended as one `- { … }` line; an existing person has only the values that change
 * replaced, and missing ones added, in place. Every other byte (comments, layout, other people) stays,
 * so the pull request that carries the import shows exactly what it changes.
 */
export function mergePeopleYaml(peopleFile: string, text: string | undefined, incoming: readonly Person[]): PeopleMergeResult {
  const result: PeopleMergeResult = { added: [], updated: [], unchanged: [], diagnostics: [] };
  const original = text ?? '';
  const lines = new LineCounter();
  const doc = parseDocument(original, { lineCounter: lines, logLevel: 'error' });
  const contents = doc.contents;
  if (doc.errors.length > 0 || (contents !== null && !(isSeq(contents) && !contents.flow))) {
    const at = doc.errors[0] ? lines.linePos(doc.errors[0].pos[0]) : { line: 1, col: 1 };
    result.diagnostics.push(
      diagnostic(peopleFile, { line: at.line, column: at.col }, 'people/not-a-list', `${peopleFile} must be a YAML list of people, one "- " item each, before people can be imported into it`),
    );
    return result;
  }

  const byLogin = new Map<string, YAMLMap>();
  for (const item of contents?.items ?? []) {
    if (!isMap(item)) continue;
    const login = item.get('login');
    if (typeof login === 'string' && !byLogin.has(login)) byLogin.set(login, item);
  }
  const dashColumn = contents?.range ? lines.linePos(contents.range[0]).col - 1 : 0;
  const edits: Edit[] = [];
  const appended: string[] = [];
  const expected = (doc.toJS() as Person[] | null) ?? [];

  for (const person of incoming) {
    const existing = byLogin.get(person.login);
    if (!existing) {
      appended.push(`${' '.repeat(dashColumn)}- ${renderPerson(person)}\n`);
      expected.push(person);
      result.added.push(person.login);
      continue;
    }
    const index = (contents!.items as unknown[]).indexOf(existing);
    const before = expected[index]!;
    const after = { ...before, ...person };
    if (isDeepStrictEqual(before, after)) {
      result.unchanged.push(person.login);
      continue;
    }
    for (const field of FIELD_ORDER) {
      if (person[field] === undefined || isDeepStrictEqual(before[field], person[field])) continue;
      edits.push({ order: edits.length, ...editField(original, lines, existing, field, renderValue(person[field])) });
    }
    expected[index] = after;
    result.updated.push(person.login);
  }

  edits.sort((a, b) => b.start - a.start || b.order - a.order);
  let merged = original;
  for (const edit of edits) merged = merged.slice(0, edit.start) + edit.text + merged.slice(edit.end);
  if (appended.length > 0) merged += (merged === '' || merged.endsWith('\n') ? '' : '\n') + appended.join('');

  // Fail closed: the edited text must mean exactly the intended list, or nothing is written.
  const check = parseDocument(merged, { logLevel: 'error' });
  if (check.errors.length > 0 || !isDeepStrictEqual(check.toJS() ?? [], expected)) {
    result.diagnostics.push(
      diagnostic(peopleFile, { line: 1, column: 1 }, 'people/merge-failed', `the layout of ${peopleFile} could not be edited safely; add these people by hand: ${[...result.added, ...result.updated].join(', ')}`),
    );
    return result;
  }
  result.text = merged;
  return result;
}

/**
 * Replaces the value of `field` in a person's map or, when the field is not written yet, adds it after
 * the field that precedes it in FIELD_ORDER (so `roles` lands before `aws`, as the file's other lines have it).
 */
function editField(text: string, lines: LineCounter, map: YAMLMap, field: keyof Person, value: string): Omit<Edit, 'order'> {
  const pairs = map.items as Pair<Node, Node | null>[];
  const pairOf = (name: string) => pairs.find((p) => isScalar(p.key) && p.key.value === name);
  const valueRange = pairOf(field)?.value?.range;
  if (valueRange) return { start: valueRange[0], end: valueRange[1], text: value };
  const preceding = FIELD_ORDER.slice(0, FIELD_ORDER.indexOf(field)).reverse().map(pairOf).find((p) => p !== undefined);
  const anchor = preceding ?? pairs.at(-1)!;
  const anchorEnd = anchor.value?.range?.[1] ?? anchor.key.range![1];
  if (map.flow) return { start: anchorEnd, end: anchorEnd, text: `, ${field}: ${value}` };
  // Block map: a new line after the anchor's line (a comment on that line stays where it is).
  const lineEnd = text.indexOf('\n', text[anchorEnd - 1] === '\n' ? anchorEnd - 1 : anchorEnd);
  const at = lineEnd < 0 ? text.length : lineEnd;
  const indent = lines.linePos(pairs[0]!.key.range![0]).col - 1;
  return { start: at, end: at, text: `\n${' '.repeat(indent)}${field}: ${value}` };
}

/** One person as a flow map on one line, the style of the example people.yaml. */
export function renderPerson(person: Person): string {
  const fields = FIELD_ORDER.filter((f) => person[f] !== undefined).map((f) => `${f}: ${renderValue(person[f])}`);
  return `{ ${fields.join(', ')} }`;
}

function renderValue(value: Person[keyof Person]): string {
  if (Array.isArray(value)) return `[${value.map(renderScalar).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${renderScalar(String(v))}`).join(', ')} }`;
  return renderScalar(String(value));
}

/** A string as a flow-context scalar, quoted only when YAML needs it (commas, `: `, `yes`, numbers…). */
function renderScalar(value: string): string {
  return stringify([value], { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trim().slice(1, -1);
}
