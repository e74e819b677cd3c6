import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { ALL_SCHEMAS } from '../../src/core/schemas/published.js';
import { REPO_ROOT } from '../helpers/cli.js';

// ajv-formats is CommonJS; under NodeNext its default export arrives wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

const SCHEMA_DIR = join(REPO_ROOT, 'schemas');
const ACCESS_DIR = join(REPO_ROOT, 'access');

/** The published files alone, compiled by an Ajv that knows nothing of grantops, as an editor's would be. */
function compilePublished(): Record<string, ValidateFunction> {
  const ajv = new Ajv({ strict: true, allErrors: true });
  addFormats(ajv);
  return Object.fromEntries(
    readdirSync(SCHEMA_DIR)
      .filter((f) => f.endsWith('.schema.json'))
      .map((f) => [f, ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, f), 'utf8')) as object)]),
  );
}

function schemaFor(relPath: string): string {
  if (relPath === 'grantops.yaml') return 'grantops.schema.json';
  if (relPath === 'people.yaml') return 'people.schema.json';
  if (relPath.startsWith('resources/')) return 'resource.schema.json';
  if (relPath.startsWith('grants/')) return 'grant.schema.json';
  throw new Error(`no schema for ${relPath}`);
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => relative(dir, join(dir, f)).split('\\').join('/'))
    .sort();
}

describe('the published JSON Schemas in schemas/', () => {
  const validators = compilePublished();

  it('are exactly what the code validates with (npm run schemas writes them)', () => {
    expect(Object.keys(validators).sort()).toEqual(Object.keys(ALL_SCHEMAS).sort());
    for (const [name, schema] of Object.entries(ALL_SCHEMAS)) {
      expect(JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8'))).toEqual(schema);
    }
  });

  const files = yamlFilesUnder(ACCESS_DIR);

  it('cover every kind of file of the example organisation', () => {
    expect(new Set(files.map(schemaFor))).toEqual(new Set(Object.keys(ALL_SCHEMAS)));
  });

  it.each(files)('access/%s validates against its schema with a fresh Ajv', (file) => {
    const validate = validators[schemaFor(file)]!;
    const valid = validate(parse(readFileSync(join(ACCESS_DIR, file), 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it.each([
    ['grant.schema.json', 'grants/kramer/prod-data-read.yaml', { approvalExpires: null }],
    ['grant.schema.json', 'grants/kramer/prod-data-read.yaml', { approver: 'george' }],
    ['resource.schema.json', 'resources/aws-prod/prod-db-admin.yaml', { maxAccess: '3 days' }],
    ['grantops.schema.json', 'grantops.yaml', { systems: { 'aws-prod': { type: 'aws', accountId: 111122223333 } } }],
  ])('%s rejects %s changed to %j', (schema, file, change) => {
    const value = { ...(parse(readFileSync(join(ACCESS_DIR, file), 'utf8')) as object), ...change };
    expect(validators[schema]!(value)).toBe(false);
  });
});
