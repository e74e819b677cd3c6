import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { SCHEMA_OF_KIND, type SchemaKind } from '../../src/core/schemas/published.js';
import { VALIDATORS_MODULE, schemaCompiler, validatorModuleSource } from '../../src/core/schemas/validator-code.js';
import * as generated from '../../src/core/schemas/validators.generated.js';
import { REPO_ROOT } from '../helpers/cli.js';

type Validator = ((value: unknown) => boolean) & { errors?: unknown[] | null };
const GENERATED = generated as unknown as Record<SchemaKind, Validator>;
const ACCESS_DIR = join(REPO_ROOT, 'access');

function kindOf(relPath: string): SchemaKind {
  if (relPath === 'grantops.yaml') return 'org';
  if (relPath === 'people.yaml') return 'people';
  return relPath.startsWith('resources/') ? 'resource' : 'grant';
}

const exampleFiles = readdirSync(ACCESS_DIR, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: f, kind: kindOf(f), value: parse(readFileSync(join(ACCESS_DIR, f), 'utf8')) as unknown }));

// Values that break one rule or another wherever they land: types, lengths (counted in code points, by
// ajv's ucs2length), patterns, formats (date-time, email), enums, constants, ranges and shapes.
const HOSTILE = ['', 'x', '😀', 'not-a-date', '2026-13-45T25:61:00Z', 'a@b', 'A'.repeat(300), 0, -1, 101, 1.5, true, null, [], ['x', 'x'], {}, { unknown: 1 }];

/** Every way of breaking `value` at one place: each leaf replaced, each key removed, an unknown key added. */
function* mutations(value: unknown): Generator<unknown> {
  yield value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      for (const inner of mutations(value[i])) yield value.map((v, j) => (j === i ? inner : v));
    }
    yield [...value, ...value.slice(0, 1)];
  } else if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    for (const [key, v] of entries) {
      for (const inner of mutations(v)) yield { ...value, [key]: inner };
      yield Object.fromEntries(entries.filter(([k]) => k !== key));
    }
    yield { ...value, notAKey: 'x' };
  } else {
    yield* HOSTILE;
  }
}

describe('the generated validators (src/core/schemas/validators.generated.ts)', () => {
  it('are what `npm run schemas` writes from the schema definitions (ajv standalone code)', () => {
    expect(readFileSync(join(REPO_ROOT, VALIDATORS_MODULE), 'utf8')).toBe(validatorModuleSource());
  });

  it('export one validator per kind of file', () => {
    expect(Object.keys(generated).sort()).toEqual(Object.keys(SCHEMA_OF_KIND).sort());
  });

  // The code is ajv's own, but its run-time helpers are wired by the generator's imports: an import that
  // went wrong shows as a thrown error or a different verdict on the documents that reach that helper.
  it.each(exampleFiles.map((f) => [f.file, f]))('judge every one-place break of access/%s as ajv.compile does', (_file, { kind, value }) => {
    const compiled = schemaCompiler().getSchema(SCHEMA_OF_KIND[kind]) as ValidateFunction;
    let invalid = 0;
    for (const mutated of mutations(value)) {
      const expected = { valid: compiled(mutated), errors: compiled.errors ?? null };
      const actual = { valid: GENERATED[kind](mutated), errors: GENERATED[kind].errors ?? null };
      expect(actual).toEqual(expected);
      if (!expected.valid) invalid++;
    }
    expect(invalid).toBeGreaterThan(20);
  });
});
