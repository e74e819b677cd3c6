import { DURATION_PATTERN } from '../duration.js';

/** Shared pieces of the JSON Schemas. */
export const duration = { type: 'string', pattern: DURATION_PATTERN } as const;
export const timestamp = { type: 'string', format: 'date-time' } as const;
export const login = { type: 'string', pattern: '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$' } as const;
/** A person's login, or a GitHub team as `@org/team-slug` (owners may be either). */
export const ownerRef = { type: 'string', pattern: '^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})|@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9][A-Za-z0-9_.-]*)$' } as const;
export const identifier = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' } as const;
export const stringList = { type: 'array', items: { type: 'string', minLength: 1 } } as const;
export const SCHEMA_BASE = 'https://grantops.dev/schemas/';

/** A sub-schema that only requires keys (declared as `true` so strict mode knows them). */
export function requireKeys(...keys: string[]): { properties: Record<string, true>; required: string[] } {
  return { properties: Object.fromEntries(keys.map((k) => [k, true])), required: keys };
}
/** `breakGlass:` of a sensitivity level or a resource (optional, so nullable for ajv's types). */
export const breakGlassPolicy = {
  type: 'object',
  nullable: true,
  additionalProperties: false,
  required: ['roles', 'maxAccess', 'ratifyWithin'],
  description: 'Break-glass: grants pass at once for holders of these roles, for at most maxAccess; the approvers the sensitivity names must ratify within ratifyWithin after the merge, or the next expire run revokes the grant.',
  properties: {
    roles: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' },
      description: 'Roles people hold in people.yaml (e.g. oncall; keep a team as a role) whose holders may break glass.',
    },
    maxAccess: { type: 'string', pattern: DURATION_PATTERN, description: 'The longest access a break-glass grant gives, from when it is asked: hours, at most 24h.' },
    ratifyWithin: { type: 'string', pattern: DURATION_PATTERN, description: 'How long after the merge the approvers have to ratify (an approving review on the merged pull request).' },
  },
} as const;
