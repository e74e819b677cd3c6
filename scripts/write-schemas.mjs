#!/usr/bin/env node
// Writes schemas/*.json from the compiled schema definitions (run `npm run build` first; `npm run schemas`
// does both). The JSON files are committed so editors and other tools can use them; CI checks they are fresh.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALL_SCHEMAS } from '../lib/core/schemas/index.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
await mkdir(out, { recursive: true });
for (const [name, schema] of Object.entries(ALL_SCHEMAS)) {
  await writeFile(join(out, name), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`schemas/${name}`);
}
