import type { JSONSchemaType } from 'ajv';
import type { OrgConfig } from '../model.js';
import { SCHEMA_BASE, duration, identifier, login } from './definitions.js';
import { notificationsSchema } from './notifications.js';

export const orgConfigSchema: JSONSchemaType<OrgConfig> = {
  $id: `${SCHEMA_BASE}grantops.schema.json`,
  title: 'access/grantops.yaml',
  description: 'The organisation: its owners, sensitivity levels, systems and expiry settings.',
  type: 'object',
  additionalProperties: false,
  required: ['org', 'owners', 'sensitivity', 'systems'],
  properties: {
    org: { type: 'string', minLength: 1, description: 'The organisation\'s name.' },
    owners: {
      type: 'array',
      minItems: 1,
      items: login,
      description: 'Org owners (GitHub logins): they approve changes to the rules themselves.',
    },
    sensitivity: {
      type: 'object',
      minProperties: 1,
      description: 'Sensitivity levels, ordered from least to most sensitive.',
      required: [],
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['approvers', 'maxAccess', 'approvalTtl'],
        properties: {
          approvers: {
            type: 'array',
            items: identifier,
            uniqueItems: true,
            description: 'Roles that must each approve: manager, owner, or a role people hold (e.g. executive). Empty means immediate approval.',
          },
          notify: { type: 'array', items: identifier, nullable: true, description: 'Roles told about this level\'s grants without their approval being needed (manager, owner, org-owner or a role people hold): the events of such a grant reach them too, on every channel that gets the event.' },
          maxAccess: { ...duration, description: 'The longest access a grant may give, from now.' },
          approvalTtl: { ...duration, description: 'How long an approval lets access be renewed without a new human approval.' },
        },
      },
    },
    defaults: {
      type: 'array',
      nullable: true,
      description: 'Sensitivity inherited by resource id (minimatch globs; first match wins).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['resources', 'sensitivity'],
        properties: {
          resources: { type: 'string', minLength: 1, description: 'A minimatch glob over resource ids.' },
          sensitivity: { type: 'string', minLength: 1 },
        },
      },
    },
    expiry: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      properties: {
        warnBefore: { ...duration, nullable: true, description: 'How long before expiry the grantee is warned.' },
      },
    },
    systems: {
      type: 'object',
      minProperties: 1,
      description: 'The AWS accounts grantops connects to, by system id.',
      required: [],
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'accountId'],
        properties: {
          type: { type: 'string', const: 'aws' },
          accountId: { type: 'string', pattern: '^[0-9]{12}$', description: 'The 12-digit AWS account id.' },
          region: { type: 'string', nullable: true },
          endpoint: { type: 'string', nullable: true, description: 'IAM endpoint override, e.g. a local emulator.' },
          roleArn: { type: 'string', nullable: true, description: 'The connector role grantops assumes in this account.' },
        },
      },
    },
    risk: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      required: [],
      description: 'How risk scores (0-100, see the README\'s risk model) raise approvals and shape the read-out.',
      properties: {
        escalateAbove: { type: 'number', minimum: 0, maximum: 100, nullable: true, description: 'A grant whose resource scores above this needs the approvers of the next sensitivity level.' },
        escalateOnPrivilegeEscalation: { type: 'boolean', nullable: true, description: 'A grant that opens a privilege-escalation path escalates the same way (default true).' },
        levels: {
          type: 'object',
          nullable: true,
          required: [],
          additionalProperties: { type: 'number', minimum: 0, maximum: 100 },
          description: 'The lowest risk score each sensitivity level suits; validate warns when a resource scores above its level.',
        },
        unusedAfter: { ...duration, nullable: true, description: 'Access not used within this window is reported as unused (default 90d).' },
        keyMaxAge: { ...duration, nullable: true, description: 'Access keys older than this are reported for rotation (default 90d).' },
      },
    },
    notifications: { ...notificationsSchema, nullable: true },
  },
};
