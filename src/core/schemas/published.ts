import { orgConfigSchema } from './org-config.js';
import { peopleSchema } from './people.js';
import { resourceSchema } from './resource.js';
import { grantSchema } from './grant.js';

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

/**
 * The schemas written to `schemas/*.json` (by `npm run schemas`), by file name. Validation runs the code
 * ajv generates from these (`validators.generated.ts`, written by the same script).
 */
export const ALL_SCHEMAS = {
  'grantops.schema.json': publish(orgConfigSchema),
  'people.schema.json': publish(peopleSchema),
  'resource.schema.json': publish(resourceSchema),
  'grant.schema.json': publish(grantSchema),
} as const;

export type SchemaKind = 'org' | 'people' | 'resource' | 'grant';

/** Which published schema checks each kind of file. */
export const SCHEMA_OF_KIND: Record<SchemaKind, keyof typeof ALL_SCHEMAS> = {
  org: 'grantops.schema.json',
  people: 'people.schema.json',
  resource: 'resource.schema.json',
  grant: 'grant.schema.json',
};
