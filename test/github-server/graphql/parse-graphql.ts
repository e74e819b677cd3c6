/**
 * A GraphQL reader for the subset clients send to GitHub: one operation (optionally named, with
 * variables), fields with aliases and arguments, inline fragments, named fragments. Enough to be a
 * real parser (a malformed query is an error, as on GitHub) without pulling in graphql-js.
 */
export type GraphqlValue =
  | { kind: 'variable'; name: string }
  | { kind: 'literal'; value: unknown }
  | { kind: 'list'; items: GraphqlValue[] }
  | { kind: 'object'; fields: Record<string, GraphqlValue> };

export interface FieldNode {
  kind: 'field';
  alias?: string;
  name: string;
  args: Record<string, GraphqlValue>;
  selections?: SelectionNode[];
}

export interface InlineFragmentNode {
  kind: 'inline';
  typeCondition?: string;
  selections: SelectionNode[];
}

export interface FragmentSpreadNode {
  kind: 'spread';
  name: string;
}

export type SelectionNode = FieldNode | InlineFragmentNode | FragmentSpreadNode;

export interface OperationNode {
  operation: 'query' | 'mutation';
  name?: string;
  variables: { name: string; type: string; defaultValue?: GraphqlValue }[];
  selections: SelectionNode[];
}

export interface DocumentNode {
  operation: OperationNode;
  fragments: Map<string, { typeCondition: string; selections: SelectionNode[] }>;
}

export class GraphqlSyntaxError extends Error {}

type Token = { kind: 'punct' | 'name' | 'int' | 'float' | 'string'; value: string; at: number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (/[\s,\ufeff]/.test(c)) {
      i++;
      continue;
    }
    if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', at: i });
      i += 3;
      continue;
    }
    if ('{}()[]:!$=@|'.includes(c)) {
      tokens.push({ kind: 'punct', value: c, at: i++ });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < source.length && /[A-Za-z0-9_]/.test(source[i]!)) i++;
      tokens.push({ kind: 'name', value: source.slice(start, i), at: start });
      continue;
    }
    if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      if (!m) throw new GraphqlSyntaxError(`Parse error on "${c}" at ${i}`);
      tokens.push({ kind: m[1] || m[2] ? 'float' : 'int', value: m[0], at: i });
      i += m[0].length;
      continue;
    }
    if (c === '"') {
      if (source.startsWith('"""', i)) {
        const end = source.indexOf('"""', i + 3);
        if (end < 0) throw new GraphqlSyntaxError(`Unterminated block string at ${i}`);
        tokens.push({ kind: 'string', value: source.slice(i + 3, end), at: i });
        i = end + 3;
        continue;
      }
      let j = i + 1;
      let value = '';
      while (j < source.length && source[j] !== '"') {
        if (source[j] === '\n') throw new GraphqlSyntaxError(`Unterminated string at ${i}`);
        if (source[j] === '\\') {
          const e = source[j + 1]!;
          if (e === 'u') {
            value += String.fromCharCode(parseInt(source.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          value += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e] ?? e;
          j += 2;
          continue;
        }
        value += source[j++];
      }
      if (j >= source.length) throw new GraphqlSyntaxError(`Unterminated string at ${i}`);
      tokens.push({ kind: 'string', value, at: i });
      i = j + 1;
      continue;
    }
    throw new GraphqlSyntaxError(`Parse error on "${c}" at ${i}`);
  }
  return tokens;
}

export function parseGraphql(source: string): DocumentNode {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const at = (value: string) => peek()?.value === value && peek()?.kind !== 'string';
  const expect = (value: string) => {
    const t = tokens[pos++];
    if (!t || t.value !== value || t.kind === 'string') throw new GraphqlSyntaxError(`Expected "${value}" but found "${t?.value ?? 'end of query'}"`);
  };
  const name = (): string => {
    const t = tokens[pos++];
    if (!t || t.kind !== 'name') throw new GraphqlSyntaxError(`Expected a name but found "${t?.value ?? 'end of query'}"`);
    return t.value;
  };

  const value = (): GraphqlValue => {
    const t = peek();
    if (!t) throw new GraphqlSyntaxError('Unexpected end of query');
    if (at('$')) {
      pos++;
      return { kind: 'variable', name: name() };
    }
    if (at('[')) {
      pos++;
      const items: GraphqlValue[] = [];
      while (!at(']')) items.push(value());
      pos++;
      return { kind: 'list', items };
    }
    if (at('{')) {
      pos++;
      const fields: Record<string, GraphqlValue> = {};
      while (!at('}')) {
        const key = name();
        expect(':');
        fields[key] = value();
      }
      pos++;
      return { kind: 'object', fields };
    }
    pos++;
    if (t.kind === 'string') return { kind: 'literal', value: t.value };
    if (t.kind === 'int') return { kind: 'literal', value: parseInt(t.value, 10) };
    if (t.kind === 'float') return { kind: 'literal', value: parseFloat(t.value) };
    if (t.kind === 'name') {
      if (t.value === 'true' || t.value === 'false') return { kind: 'literal', value: t.value === 'true' };
      if (t.value === 'null') return { kind: 'literal', value: null };
      return { kind: 'literal', value: t.value };
    }
    throw new GraphqlSyntaxError(`Unexpected "${t.value}"`);
  };

  const typeRef = (): string => {
    if (at('[')) {
      pos++;
      const inner = typeRef();
      expect(']');
      const bang = at('!') ? (pos++, '!') : '';
      return `[${inner}]${bang}`;
    }
    const n = name();
    return at('!') ? (pos++, `${n}!`) : n;
  };

  const skipDirectives = () => {
    while (at('@')) {
      pos++;
      name();
      if (at('(')) args();
    }
  };

  const args = (): Record<string, GraphqlValue> => {
    const result: Record<string, GraphqlValue> = {};
    expect('(');
    while (!at(')')) {
      const key = name();
      expect(':');
      result[key] = value();
    }
    pos++;
    return result;
  };

  const selectionSet = (): SelectionNode[] => {
    expect('{');
    const selections: SelectionNode[] = [];
    while (!at('}')) {
      if (!peek()) throw new GraphqlSyntaxError('Unexpected end of query');
      if (at('...')) {
        pos++;
        if (at('on')) {
          pos++;
          const typeCondition = name();
          skipDirectives();
          selections.push({ kind: 'inline', typeCondition, selections: selectionSet() });
        } else if (at('{') || at('@')) {
          skipDirectives();
          selections.push({ kind: 'inline', selections: selectionSet() });
        } else {
          selections.push({ kind: 'spread', name: name() });
          skipDirectives();
        }
        continue;
      }
      let fieldName = name();
      let alias: string | undefined;
      if (at(':')) {
        pos++;
        alias = fieldName;
        fieldName = name();
      }
      const fieldArgs = at('(') ? args() : {};
      skipDirectives();
      const field: FieldNode = { kind: 'field', name: fieldName, args: fieldArgs };
      if (alias !== undefined) field.alias = alias;
      if (at('{')) field.selections = selectionSet();
      selections.push(field);
    }
    pos++;
    return selections;
  };

  let operation: OperationNode | undefined;
  const fragments: DocumentNode['fragments'] = new Map();
  while (pos < tokens.length) {
    if (at('{')) {
      if (operation) throw new GraphqlSyntaxError('Only one operation per document is supported');
      operation = { operation: 'query', variables: [], selections: selectionSet() };
      continue;
    }
    const keyword = name();
    if (keyword === 'fragment') {
      const fragmentName = name();
      if (name() !== 'on') throw new GraphqlSyntaxError('Expected "on" after the fragment name');
      const typeCondition = name();
      skipDirectives();
      fragments.set(fragmentName, { typeCondition, selections: selectionSet() });
      continue;
    }
    if (keyword !== 'query' && keyword !== 'mutation') throw new GraphqlSyntaxError(`Unexpected "${keyword}"`);
    if (operation) throw new GraphqlSyntaxError('Only one operation per document is supported');
    const op: OperationNode = { operation: keyword, variables: [], selections: [] };
    if (peek()?.kind === 'name') op.name = name();
    if (at('(')) {
      pos++;
      while (!at(')')) {
        expect('$');
        const variable = name();
        expect(':');
        const type = typeRef();
        const entry: OperationNode['variables'][number] = { name: variable, type };
        if (at('=')) {
          pos++;
          entry.defaultValue = value();
        }
        op.variables.push(entry);
      }
      pos++;
    }
    skipDirectives();
    op.selections = selectionSet();
    operation = op;
  }
  if (!operation) throw new GraphqlSyntaxError('The document has no operation');
  return { operation, fragments };
}
