import type { JSONSchemaType } from 'ajv';
import type { GrantFile } from '../model.js';
import { SCHEMA_BASE, identifier, login, timestamp } from './definitions.js';

export const grantSchema: JSONSchemaType<GrantFile> = {
  $id: `${SCHEMA_BASE}grant.schema.json`,
  title: 'access/grants/<login>/<resource>.yaml',
  description: 'One person\'s access to one resource.',
  type: 'object',
  additionalProperties: false,
  required: ['user', 'resource', 'reason', 'expires', 'status'],
  properties: {
    user: { ...login, description: 'The grantee\'s login; the folder name.' },
    resource: { ...identifier, description: 'The resource id; the file name without .yaml.' },
    reason: { type: 'string', minLength: 1, description: 'Why the access is needed.' },
    expires: { ...timestamp, description: 'When provisioned access is removed (ISO 8601).' },
    approvalExpires: { ...timestamp, nullable: true, description: 'Until when the access may be renewed without a new human approval (ISO 8601).' },
    status: { type: 'string', enum: ['active', 'expired'], description: 'active, or expired (set by the revocation pull request).' },
    breakGlass: { type: 'boolean', nullable: true, description: 'Asked as break-glass (grantops request --break-glass): passes at once for an eligible requester within the break-glass limits, and must be ratified after the merge.' },
  },
};
