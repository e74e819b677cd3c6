import { LineCounter, parseDocument, isMap, isSeq, isScalar, isPair, visit, type Alias, type Document, type Node } from 'yaml';
import { START, diagnostic, type Diagnostic, type Position } from './diagnostic.js';

/** One YAML file parsed with its source positions kept, so any value can be traced back to line and column. */
export interface YamlSource {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

export type PathSegment = string | number;

export interface ParsedYaml {
  source?: YamlSource;
  /** The plain JavaScript value; undefined when the file could not be parsed. */
  value?: unknown;
  diagnostics: Diagnostic[];
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes and parses a file's bytes. Never throws: every problem becomes a located diagnostic. */
export function parseYamlFile(file: string, content: Uint8Array | string): ParsedYaml {
  let text: string;
  if (typeof content === 'string') {
    text = content;
  } else {
    try {
      text = decoder.decode(content);
    } catch {
      return { diagnostics: [diagnostic(file, START, 'file/encoding', 'file is not valid UTF-8')] };
    }
  }
  if (text.trim() === '') {
    return { diagnostics: [diagnostic(file, START, 'file/empty', 'file is empty')] };
  }
  const { doc, lines } = parseText(text);
  const source: YamlSource = { file, doc, lines };
  if (doc.errors.length > 0) {
    return {
      diagnostics: doc.errors.map((e) =>
        diagnostic(file, positionAt(source, e.pos[0]), 'yaml/syntax', firstLine(e.message)),
      ),
    };
  }
  const diagnostics = doc.warnings.map((w) =>
    diagnostic(file, positionAt(source, w.pos[0]), 'yaml/warning', firstLine(w.message), 'warning'),
  );
  const complexKey = findComplexKey(doc, text);
  if (complexKey) {
    const at = nodeStart(source, complexKey) ?? START;
    return { diagnostics: [...diagnostics, diagnostic(file, at, 'yaml/complex-key', 'keys must be plain strings, not lists, maps or tagged values')] };
  }
  try {
    return { source: diagnostics.length > 0 ? source : sourceOnDemand(file, text), value: doc.toJS({ maxAliasCount: 100 }), diagnostics };
  } catch (error) {
    // Aliases are only resolved here: an unknown anchor, or an alias bomb, throws instead of being reported.
    const message = error instanceof Error ? error.message : String(error);
    const at = nodeStart(source, findFailingAlias(doc)) ?? START;
    return { diagnostics: [...diagnostics, diagnostic(file, at, 'yaml/alias', firstLine(message))] };
  }
}

function parseText(text: string): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  // logLevel 'error': yaml's own warnings would go to the console; the ones that matter are diagnostics here.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true, logLevel: 'error' });
  return { doc, lines };
}

/**
 * The positions of a file that parsed cleanly, parsed again only when a diagnostic asks for one: keeping
 * the syntax trees of ten thousand files alive for the few that later have a problem costs more (in
 * garbage collection) than parsing those few twice.
 */
function sourceOnDemand(file: string, text: string): YamlSource {
  let parsed: { doc: Document.Parsed; lines: LineCounter } | undefined;
  return {
    file,
    get doc() {
      return (parsed ??= parseText(text)).doc;
    },
    get lines() {
      return (parsed ??= parseText(text)).lines;
    },
  };
}

/**
 * Text in which a key can be a collection, tagged or an alias: a flow collection closed right before a
 * `:` (`[a]: x`), an explicit key (`?`), a tag (`!`) or an alias (`*`). Files without any of these (most
 * grants) skip walking every node.
 */
const MAY_HAVE_COMPLEX_KEY = /[?!*]|[\]}]\s*:/;

/** A key JavaScript objects cannot hold as written (yaml would silently turn it into a string). */
function findComplexKey(doc: Document.Parsed, text: string): Node | undefined {
  if (!MAY_HAVE_COMPLEX_KEY.test(text)) return undefined;
  let found: Node | undefined;
  visit(doc, {
    Pair(_, pair) {
      const key = pair.key;
      if (key === null) return undefined;
      if (!isScalar(key) || (typeof key.value === 'object' && key.value !== null)) {
        found = key as Node;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** The alias that cannot be resolved, or else the first alias (the one an alias bomb starts from). */
function findFailingAlias(doc: Document.Parsed): Alias | undefined {
  let first: Alias | undefined;
  let unresolved: Alias | undefined;
  visit(doc, {
    Alias(_, alias) {
      first ??= alias;
      if (!alias.resolve(doc)) {
        unresolved = alias;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return unresolved ?? first;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.trim();
}

export function positionAt(source: YamlSource, offset: number): Position {
  const { line, col } = source.lines.linePos(offset);
  return { line, column: col };
}

function nodeStart(source: YamlSource, node: unknown): Position | undefined {
  const range = (node as Node | null)?.range;
  return range ? positionAt(source, range[0]) : undefined;
}

/**
 * Where the value at `path` is written. With `key: true`, where its key is written (for "unknown key"
 * style problems). Falls back to the nearest ancestor that exists.
 */
export function locate(source: YamlSource | undefined, path: readonly PathSegment[], key = false): Position {
  if (!source) return START;
  let node: unknown = source.doc.contents;
  let best = nodeStart(source, node) ?? START;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return best;
      if (last && key) return nodeStart(source, pair.key) ?? best;
      node = pair.value;
      best = nodeStart(source, node) ?? nodeStart(source, pair.key) ?? best;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) return best;
      node = item;
      best = nodeStart(source, node) ?? best;
    } else {
      return best;
    }
  }
  return best;
}
