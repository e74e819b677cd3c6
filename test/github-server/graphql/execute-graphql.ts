import type { DocumentNode, FieldNode, GraphqlValue, SelectionNode } from './parse-graphql.js';

/**
 * A resolved GraphQL object: its type name and, per field, a value or a function of the field's
 * arguments. Sibling fields resolve concurrently, so reads made by many aliases batch together.
 */
export interface GraphqlObject {
  __typename: string;
  [field: string]: unknown;
}

export type FieldResolver = (args: Record<string, unknown>) => unknown;

/** Abstract types the schema subset uses in fragments (`... on GitObject`). */
const IMPLEMENTATIONS: Record<string, string[]> = {
  GitObject: ['Blob', 'Tree', 'Commit', 'Tag'],
  Actor: ['User', 'Bot', 'Organization', 'Mannequin', 'EnterpriseUserAccount'],
  RequestedReviewer: ['User', 'Team', 'Bot', 'Mannequin'],
};

export class GraphqlFieldError extends Error {
  constructor(
    message: string,
    readonly path: (string | number)[] = [],
  ) {
    super(message);
  }
}

export interface GraphqlResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; type?: string }[];
}

export async function executeGraphql(document: DocumentNode, root: GraphqlObject, variables: Record<string, unknown>): Promise<GraphqlResponse> {
  const { operation } = document;
  const values: Record<string, unknown> = {};
  for (const declared of operation.variables) {
    if (declared.name in variables) values[declared.name] = variables[declared.name];
    else if (declared.defaultValue) values[declared.name] = resolveValue(declared.defaultValue, {});
    else if (declared.type.endsWith('!')) {
      return { errors: [{ message: `Variable $${declared.name} of type ${declared.type} was provided invalid value`, type: 'INVALID_VARIABLE' }] };
    }
  }
  const context: Context = { document, variables: values, declared: new Set(operation.variables.map((v) => v.name)) };
  try {
    const data = await selectObject(context, root, operation.selections, []);
    return { data };
  } catch (error) {
    if (error instanceof GraphqlFieldError) return { errors: [{ message: error.message, path: error.path }] };
    throw error;
  }
}

interface Context {
  document: DocumentNode;
  variables: Record<string, unknown>;
  declared: Set<string>;
}

function matches(typename: string, condition: string | undefined): boolean {
  return condition === undefined || condition === typename || (IMPLEMENTATIONS[condition]?.includes(typename) ?? false);
}

function collectFields(context: Context, typename: string, selections: SelectionNode[], into: FieldNode[] = []): FieldNode[] {
  for (const selection of selections) {
    if (selection.kind === 'field') into.push(selection);
    else if (selection.kind === 'inline') {
      if (matches(typename, selection.typeCondition)) collectFields(context, typename, selection.selections, into);
    } else {
      const fragment = context.document.fragments.get(selection.name);
      if (!fragment) throw new GraphqlFieldError(`Fragment ${selection.name} was used, but not defined`);
      if (matches(typename, fragment.typeCondition)) collectFields(context, typename, fragment.selections, into);
    }
  }
  return into;
}

function resolveValue(value: GraphqlValue, variables: Record<string, unknown>, declared?: Set<string>): unknown {
  switch (value.kind) {
    case 'variable':
      if (declared && !declared.has(value.name)) throw new GraphqlFieldError(`Variable $${value.name} is used but not declared`);
      return variables[value.name] ?? null;
    case 'literal':
      return value.value;
    case 'list':
      return value.items.map((item) => resolveValue(item, variables, declared));
    case 'object':
      return Object.fromEntries(Object.entries(value.fields).map(([k, v]) => [k, resolveValue(v, variables, declared)]));
  }
}

async function selectObject(context: Context, object: GraphqlObject, selections: SelectionNode[], path: (string | number)[]): Promise<Record<string, unknown>> {
  const fields = collectFields(context, object.__typename, selections);
  const entries = await Promise.all(
    fields.map(async (field): Promise<[string, unknown]> => {
      const key = field.alias ?? field.name;
      const fieldPath = [...path, key];
      if (field.name === '__typename') return [key, object.__typename];
      if (!(field.name in object)) throw new GraphqlFieldError(`Field '${field.name}' doesn't exist on type '${object.__typename}'`, fieldPath);
      const args = Object.fromEntries(Object.entries(field.args).map(([k, v]) => [k, resolveValue(v, context.variables, context.declared)]));
      const raw = object[field.name];
      const value = typeof raw === 'function' ? await (raw as FieldResolver)(args) : raw;
      return [key, await complete(context, value, field, fieldPath)];
    }),
  );
  return Object.fromEntries(entries);
}

async function complete(context: Context, value: unknown, field: FieldNode, path: (string | number)[]): Promise<unknown> {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return Promise.all(value.map((item, i) => complete(context, item, field, [...path, i])));
  if (typeof value === 'object' && '__typename' in value) {
    if (!field.selections) throw new GraphqlFieldError(`Field must have selections (field '${field.name}' returns ${(value as GraphqlObject).__typename} but has no selections)`, path);
    return selectObject(context, value as GraphqlObject, field.selections, path);
  }
  if (field.selections) throw new GraphqlFieldError(`Selections can't be made on scalars (field '${field.name}')`, path);
  return value;
}
