import type { JSONSchemaType } from 'ajv';
import type { ResourceFile } from '../model.js';
import { SCHEMA_BASE, breakGlassPolicy, duration, identifier, login } from './definitions.js';

export const resourceSchema: JSONSchemaType<ResourceFile> = {
  $id: `${SCHEMA_BASE}resource.schema.json`,
  title: 'access/resources/<system>/<id>.yaml',
  description: 'Something access can be granted to in one system.',
  type: 'object',
  additionalProperties: false,
  required: ['id', 'system', 'owners', 'grants'],
  properties: {
    id: { ...identifier, description: 'Unique id; the file name without .yaml.' },
    system: { ...identifier, description: 'A system of grantops.yaml; the folder name.' },
    description: { type: 'string', nullable: true },
    sensitivity: { type: 'string', nullable: true, description: 'Overrides the sensitivity inherited from defaults.' },
    owners: { type: 'array', minItems: 1, items: login, description: 'Logins of the resource\'s owners.' },
    provision: { type: 'string', enum: ['auto', 'manual'], nullable: true, description: 'auto (default): grantops changes IAM; manual: it opens an issue with the steps.' },
    exclusive: { type: 'boolean', nullable: true, description: 'Authoritative: access nobody granted is drift and is removed.' },
    maxAccess: { ...duration, nullable: true, description: 'A limit shorter than the sensitivity\'s maxAccess.' },
    breakGlass: { ...breakGlassPolicy, description: 'Break-glass for this resource; overrides its sensitivity level\'s breakGlass.' },
    grants: {
      description: 'What the resource hands out: exactly one of managedPolicy, group or inlinePolicy.',
      type: 'object',
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      properties: {
        managedPolicy: { type: 'string', pattern: '^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/.+$', description: 'ARN of a managed policy attached to the user.' },
        group: { type: 'string', pattern: '^[\\w+=,.@-]{1,128}$', description: 'IAM group the user is added to.' },
        inlinePolicy: {
          type: 'object',
          description: 'A policy document put on the user as the inline policy grantops-<resource id>.',
          required: ['Statement'],
          additionalProperties: false,
          properties: {
            Version: { type: 'string', enum: ['2012-10-17', '2008-10-17'] },
            Id: { type: 'string' },
            Statement: {
              anyOf: [
                { type: 'array', minItems: 1, items: { $ref: '#/$defs/statement' } },
                { $ref: '#/$defs/statement' },
              ],
            },
          },
        },
      },
    },
  },
  $defs: {
    statement: {
      type: 'object',
      additionalProperties: false,
      required: ['Effect'],
      properties: {
        Sid: { type: 'string' },
        Effect: { type: 'string', enum: ['Allow', 'Deny'] },
        Action: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        NotAction: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        Resource: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        NotResource: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
        Condition: { type: 'object' },
      },
    },
  },
} as unknown as JSONSchemaType<ResourceFile>;
// The cast: ajv's JSONSchemaType cannot express the union ResourceGrants (exactly one of three keys,
// written as min/maxProperties so a mistake gives one clear error rather than one per branch).
