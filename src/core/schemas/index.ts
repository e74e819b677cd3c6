import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { diagnostic, type Diagnostic } from '../diagnostic.js';
import { locate, type PathSegment, type YamlSource } from '../yaml-source.js';
import { orgConfigSchema } from './org-config.js';
import { peopleSchema } from './people.js';
import { resourceSchema } from './resource.js';
import { grantSchema } from './grant.js';

export { orgConfigSchema, peopleSchema, resourceSchema, grantSchema };

/**
 * A schema as published and as enforced: plain JSON Schema (draft-07), without ajv's `nullable`.
 * `JSONSchemaType` demands `nullable: true` on every optional property, but the model means "absent",
 * never null: an empty `maxAccess:` must be an error, not a silently dropped limit. Editors and other
 * tools read the same schema grantops enforces.
 */
export type PublishedSchema = Record<string, unknown>;

function publish(schema: object): PublishedSchema {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(Object.entries(value).filter(([key, v]) => !(key === 'nullable' && typeof v === 'boolean')).map(([key, v]) => [key, strip(v)]));
  };
  return { $schema: 'http://json-schema.org/draft-07/schema#', ...(strip(schema) as PublishedSchema) };
}

/** The schemas written to `schemas/*.json` (by `npm run schemas`), by file name; validation uses these. */
export const ALL_SCHEMAS = {
  'grantops.schema.json': publish(orgConfigSchema),
  'people.schema.json': publish(peopleSchema),
  'resource.schema.json': publish(resourceSchema),
  'grant.schema.json': publish(grantSchema),
} as const;

export type SchemaKind = 'org' | 'people' | 'resource' | 'grant';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

let compiled: Record<SchemaKind, ValidateFunction> | undefined;

function validators(): Record<SchemaKind, ValidateFunction> {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(ajv);
    compiled = {
      org: ajv.compile(ALL_SCHEMAS['grantops.schema.json']),
      people: ajv.compile(ALL_SCHEMAS['people.schema.json']),
      resource: ajv.compile(ALL_SCHEMAS['resource.schema.json']),
      grant: ajv.compile(ALL_SCHEMAS['grant.schema.json']),
    };
  }
  return compiled;
}

/** Validates a parsed value against its schema; each error becomes a diagnostic at the offending key. */
export function validateSchema(kind: SchemaKind, value: unknown, file: string, source?: YamlSource): Diagnostic[] {
  const validate = validators()[kind];
  if (validate(value)) return [];
  return simplify(validate.errors ?? []).map((error) => {
    const d = toDiagnostic(error, file, source);
    const path = pathOf(error.instancePath);
    if (error.keyword === 'additionalProperties') path.push(String((error.params as { additionalProperty: string }).additionalProperty));
    if (error.keyword === 'required') path.push(String((error.params as { missingProperty: string }).missingProperty));
    return { ...d, path };
  });
}

function pathOf(instancePath: string): PathSegment[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * anyOf failures repeat the same problem once per branch; report the anyOf itself once instead. An `if`
 * failure only says its `then` failed, whose own errors are reported.
 */
function simplify(errors: ErrorObject[]): ErrorObject[] {
  errors = errors.filter((e) => e.keyword !== 'if');
  const anyOfPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  return errors.filter((e) => e.keyword === 'anyOf' || ![...anyOfPaths].some((p) => e.instancePath.startsWith(p) && e.schemaPath.includes('/anyOf/')));
}

function describe(path: PathSegment[]): string {
  return path.length === 0 ? 'the document' : `"${path.join('.')}"`;
}

function toDiagnostic(error: ErrorObject, file: string, source?: YamlSource): Diagnostic {
  const path = pathOf(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return diagnostic(file, locate(source, [...path, key], true), 'schema/unknown-key', `unknown key "${key}" in ${describe(path)}`);
    }
    case 'required': {
      const key = String(params.missingProperty);
      return diagnostic(file, locate(source, path), 'schema/required', `missing required key "${key}" in ${describe(path)}`);
    }
    case 'maxProperties':
    case 'minProperties':
      if (path.at(-1) === 'grants') {
        return diagnostic(file, locate(source, path), 'schema/grants-kind', 'grants must have exactly one of managedPolicy, group or inlinePolicy');
      }
      return diagnostic(file, locate(source, path), `schema/${error.keyword}`, `${describe(path)} ${error.message ?? 'has the wrong number of keys'}`);
    case 'type':
      return diagnostic(file, locate(source, path), 'schema/type', `${describe(path)} must be ${String(params.type)}`);
    case 'enum':
      return diagnostic(
        file,
        locate(source, path),
        'schema/enum',
        `${describe(path)} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`,
      );
    case 'pattern':
      return diagnostic(file, locate(source, path), 'schema/pattern', `${describe(path)} does not match the pattern ${String(params.pattern)}`);
    case 'format':
      return diagnostic(file, locate(source, path), 'schema/format', `${describe(path)} must be a valid ${String(params.format)}`);
    case 'anyOf':
      return diagnostic(file, locate(source, path), 'schema/shape', `${describe(path)} must be a statement or a non-empty list of statements`);
    default:
      return diagnostic(file, locate(source, path), `schema/${error.keyword}`, `${describe(path)} ${error.message ?? 'is invalid'}`);
  }
}
