import { DURATION_PATTERN } from '../duration.js';

/** Shared pieces of the JSON Schemas. */
export const duration = { type: 'string', pattern: DURATION_PATTERN } as const;
export const timestamp = { type: 'string', format: 'date-time' } as const;
export const login = { type: 'string', pattern: '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$' } as const;
export const identifier = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' } as const;
export const stringList = { type: 'array', items: { type: 'string', minLength: 1 } } as const;
export const SCHEMA_BASE = 'https://grantops.dev/schemas/';

/** A sub-schema that only requires keys (declared as `true` so strict mode knows them). */
export function requireKeys(...keys: string[]): { properties: Record<string, true>; required: string[] } {
  return { properties: Object.fromEntries(keys.map((k) => [k, true])), required: keys };
}
