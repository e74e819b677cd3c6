#!/usr/bin/env node
// Writes schemas/*.json from the compiled schema definitions, and the validators generated from them (run
// `npm run build` first; `npm run schemas` builds, writes, and builds again so lib/ runs the new validators).
// The JSON files are committed so editors and other tools can use them; CI checks both are fresh.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_SCHEMAS } from '../lib/core/schemas/published.js';
import { VALIDATORS_MODULE, validatorModuleSource } from '../lib/core/schemas/validator-code.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'schemas');
await mkdir(out, { recursive: true });
for (const [name, schema] of Object.entries(ALL_SCHEMAS)) {
  await writeFile(join(out, name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`schemas/${name}`);
}
await writeFile(join(root, VALIDATORS_MODULE), validatorModuleSource());
console.log(VALIDATORS_MODULE);
