import type { ErrorObject } from 'ajv';
import { diagnostic, type Diagnostic } from '../diagnostic.js';
import { locate, type PathSegment, type YamlSource } from '../yaml-source.js';
import type { SchemaKind } from './published.js';
// The schemas themselves (published.ts) are not loaded to validate: the generated code carries them.
import * as generated from './validators.generated.js';

export type { SchemaKind } from './published.js';

/** A generated validator: ajv's code for one schema, reporting as `ajv.compile`'s would. */
type Validator = ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

const VALIDATORS: Record<SchemaKind, Validator> = generated;

/** Validates a parsed value against its schema; each error becomes a diagnostic at the offending key. */
export function validateSchema(kind: SchemaKind, value: unknown, file: string, source?: YamlSource): Diagnostic[] {
  const validate = VALIDATORS[kind];
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
 * anyOf/oneOf failures repeat the same problem once per branch; report the anyOf/oneOf itself once
 * instead. An if/then failure is said by the `then` branch's own error.
 */
function simplify(errors: ErrorObject[]): ErrorObject[] {
  const branching = (e: ErrorObject) => e.keyword === 'anyOf' || e.keyword === 'oneOf';
  const paths = new Set(errors.filter(branching).map((e) => e.instancePath));
  return errors.filter((e) => e.keyword !== 'if' && (branching(e) || ![...paths].some((p) => e.instancePath.startsWith(p) && /\/(anyOf|oneOf)\//.test(e.schemaPath))));
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
    case 'oneOf':
    case 'maxProperties':
    case 'minProperties':
      if (path.at(-1) === 'grants') {
        return diagnostic(file, locate(source, path), 'schema/grants-kind', 'grants must have exactly one of managedPolicy, group, inlinePolicy, role or permissionSet (with accounts)');
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
