import type { JSONSchemaType } from 'ajv';
import type { ResourceFile } from '../model.js';
import { SCHEMA_BASE, duration, identifier, login, requireKeys } from './definitions.js';

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
    grants: {
      description: 'What the resource hands out: exactly one of managedPolicy, group, inlinePolicy (aws systems: to the IAM user), role (aws systems: the right to assume it), or permissionSet with accounts (aws-identity-center systems).',
      type: 'object',
      minProperties: 1,
      additionalProperties: false,
      oneOf: [requireKeys('managedPolicy'), requireKeys('group'), requireKeys('inlinePolicy'), requireKeys('role'), requireKeys('permissionSet', 'accounts')],
      properties: {
        managedPolicy: { type: 'string', pattern: '^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/.+$', description: 'ARN of a managed policy attached to the user.' },
        group: { type: 'string', pattern: '^[\\w+=,.@-]{1,128}$', description: 'IAM group the user is added to.' },
        role: { type: 'string', pattern: '^[\\w+=,.@-]{1,64}$', description: 'IAM role the user may assume: grantops adds a statement for the user to its trust policy, conditioned on the grant\'s expiry.' },
        permissionSet: { type: 'string', pattern: '^[\\w+=,.@-]{1,32}$', description: 'Name of an IAM Identity Center permission set, assigned to the person in each of accounts.' },
        accounts: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'string', pattern: '^[0-9]{12}$' }, description: 'The AWS accounts the permission set is assigned in (with permissionSet).' },
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
// written as a oneOf of required keys so a mistake gives one clear error rather than one per branch).
