import { isMap, isScalar, parseDocument, Scalar, type Pair } from 'yaml';
import type { GrantFile } from './model.js';

/** Fields to set on a grant file; `null` removes the key. */
export type GrantEdit = { [K in keyof GrantFile]?: GrantFile[K] | null };

/** The key order a new grant file is written in (DESIGN §2). */
export const GRANT_KEY_ORDER: readonly (keyof GrantFile)[] = ['user', 'resource', 'reason', 'expires', 'approvalExpires', 'status', 'breakGlass'];

interface Patch {
  start: number;
  end: number;
  text: string;
}

/**
 * Edits a grant file's text and keeps every byte it does not need to change: comments, blank lines,
 * key order, spacing, and the quoting style of the values it rewrites. The edits are made on the text
 * at the positions the parser reports, not by re-printing the document (a re-print normalises spacing
 * and moves comments). A new key goes on its own line after the keys that precede it in
 * `GRANT_KEY_ORDER`. Throws when the text is not a block mapping: callers validate the file first.
 */
export function editGrantYaml(text: string, edit: GrantEdit): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`cannot edit a grant file that does not parse: ${doc.errors[0]!.message}`);
  const map = doc.contents;
  if (!isMap(map)) throw new Error('cannot edit a grant file that is not a mapping');
  if (map.flow) throw new Error('cannot edit a grant file written as a flow mapping ({...}); write it one key per line');

  const pairs = new Map<string, Pair>();
  for (const pair of map.items) if (isScalar(pair.key)) pairs.set(String(pair.key.value), pair);
  const patches: Patch[] = [];

  for (const key of GRANT_KEY_ORDER) {
    if (!(key in edit)) continue;
    const value = edit[key];
    const pair = pairs.get(key);
    if (value === null || value === undefined) {
      if (pair) patches.push(removeLine(text, pair));
      continue;
    }
    const rendered = String(value);
    if (typeof value === 'boolean') {
      // A flag is written plain, whatever style the old value had: quoted, it would be a string.
      patches.push(pair && isScalar(pair.value) && pair.value.range ? { start: pair.value.range[0], end: pair.value.range[1], text: rendered } : insertLine(text, pairs, key, rendered, true));
    } else if (pair && isScalar(pair.value) && pair.value.range) {
      patches.push(replaceScalar(text, pair.value, rendered));
    } else if (pair) {
      throw new Error(`cannot edit "${key}": its value is not a single scalar`);
    } else {
      patches.push(insertLine(text, pairs, key, rendered));
    }
  }

  let out = text;
  for (const patch of patches.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, patch.start) + patch.text + out.slice(patch.end);
  }
  return out;
}

function replaceScalar(text: string, node: Scalar, value: string): Patch {
  const [start, end] = node.range!;
  switch (node.type) {
    case Scalar.QUOTE_DOUBLE:
      return { start, end, text: JSON.stringify(value) };
    case Scalar.QUOTE_SINGLE:
      return { start, end, text: `'${value.replace(/'/g, "''")}'` };
    case Scalar.BLOCK_FOLDED:
    case Scalar.BLOCK_LITERAL: {
      // A block scalar runs to the end of its last line; the replacement keeps that line break.
      const trailing = text.slice(start, end).endsWith('\n') ? '\n' : '';
      return { start, end, text: `${JSON.stringify(value)}${trailing}` };
    }
    default:
      return { start, end, text: yamlScalar(value) };
  }
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEnd(text: string, offset: number): number {
  const eol = text.indexOf('\n', offset);
  return eol < 0 ? text.length : eol + 1;
}

function pairStart(pair: Pair): number {
  return (pair.key as Scalar).range![0];
}

function pairEnd(pair: Pair): number {
  const value = pair.value as { range?: [number, number, number] } | null;
  return value?.range ? value.range[1] : (pair.key as Scalar).range![1];
}

function removeLine(text: string, pair: Pair): Patch {
  const end = pairEnd(pair);
  // A block scalar's range already ends after its last line break.
  return { start: lineStart(text, pairStart(pair)), end: text[end - 1] === '\n' ? end : lineEnd(text, end), text: '' };
}

function insertLine(text: string, pairs: ReadonlyMap<string, Pair>, key: string, value: string, plain = false): Patch {
  const before = GRANT_KEY_ORDER.slice(0, GRANT_KEY_ORDER.indexOf(key as keyof GrantFile));
  const line = `${key}: ${plain ? value : yamlScalar(value)}\n`;
  let after: Pair | undefined;
  for (const name of before) after = pairs.get(name) ?? after;
  if (after) {
    const end = pairEnd(after);
    const at = text[end - 1] === '\n' ? end : lineEnd(text, end);
    const needsBreak = at === text.length && !text.endsWith('\n');
    return { start: at, end: at, text: needsBreak ? `\n${line}` : line };
  }
  const first = [...pairs.values()].sort((a, b) => pairStart(a) - pairStart(b))[0];
  const at = first ? lineStart(text, pairStart(first)) : text.length;
  return { start: at, end: at, text: line };
}

/** A new grant file, in the usual key order, with a comment saying how it was made. */
export function writeGrantYaml(grant: GrantFile, comment?: string): string {
  const lines = comment ? comment.split('\n').map((l) => `# ${l}`.trimEnd()) : [];
  for (const key of GRANT_KEY_ORDER) {
    const value = grant[key];
    if (value === undefined || value === null) continue;
    lines.push(`${key}: ${typeof value === 'boolean' ? String(value) : yamlScalar(String(value))}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A scalar written plain when YAML reads it back as the same string, double-quoted otherwise. */
function yamlScalar(value: string): string {
  if (value === '' || /^\s|\s$|\n/.test(value)) return JSON.stringify(value);
  const probe = parseDocument(`v: ${value}\n`);
  if (probe.errors.length === 0 && probe.get('v') === value) return value;
  return JSON.stringify(value);
}
