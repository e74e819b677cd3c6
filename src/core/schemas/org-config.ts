import type { JSONSchemaType } from 'ajv';
import type { OrgConfig } from '../model.js';
import { GLOB_LIMITS } from '../glob.js';
import { DEFAULT_PROTECTED_PATHS } from '../protected-paths.js';
import { SCHEMA_BASE, duration, identifier, ownerRef } from './definitions.js';

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
      items: ownerRef,
      description: 'Org owners (GitHub logins, or teams as @org/team-slug): they approve changes to the rules themselves.',
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
          notify: { type: 'array', items: identifier, nullable: true, description: 'Roles told about a grant without their approval being needed.' },
          maxAccess: { ...duration, description: 'The longest access a grant may give, from now.' },
          approvalTtl: { ...duration, description: 'How long an approval lets access be renewed without a new human approval.' },
        },
      },
    },
    defaults: {
      type: 'array',
      nullable: true,
      description: 'Sensitivity inherited by resource id (globs; first match wins).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['resources', 'sensitivity'],
        properties: {
          resources: { type: 'string', minLength: 1, maxLength: GLOB_LIMITS.length, description: `A glob over resource ids (*, ?, [a-z], {a,b}; at most ${GLOB_LIMITS.length} characters and ${GLOB_LIMITS.alternatives} brace alternatives).` },
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
    protectedPaths: {
      type: 'array',
      nullable: true,
      items: { type: 'string', minLength: 1, maxLength: GLOB_LIMITS.length },
      description: `Paths outside the access directory that steer what grantops applies (globs over repository paths, ** for any folders): a pull request changing one is a rules change needing an org owner. Default: ${DEFAULT_PROTECTED_PATHS.join(', ')}. The access directory itself and the folders above it are always protected.`,
    },
    approvalFallback: {
      type: 'string',
      nullable: true,
      pattern: '^(?:[A-Za-z0-9][A-Za-z0-9._-]*|@[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9][A-Za-z0-9_.-]*)$',
      description: 'Who approves in place of a role nobody else can fill (the only owner asks, or the top of the manager chain): org-owner, a role people hold, or a team as @org/team-slug. Absent: no fallback, and such a role waits for nobody.',
    },
  },
};
