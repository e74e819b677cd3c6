import type { JSONSchemaType } from 'ajv';
import type { OrgConfig } from '../model.js';
import { GLOB_LIMITS } from '../glob.js';
import { DEFAULT_PROTECTED_PATHS } from '../protected-paths.js';
import { SCHEMA_BASE, breakGlassPolicy, duration, identifier, login, ownerRef, requireKeys } from './definitions.js';
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
          notify: { type: 'array', items: identifier, nullable: true, description: 'Roles told about this level\'s grants without their approval being needed (manager, owner, org-owner or a role people hold): the events of such a grant reach them too, on every channel that gets the event.' },
          maxAccess: { ...duration, description: 'The longest access a grant may give, from now.' },
          approvalTtl: { ...duration, description: 'How long an approval lets access be renewed without a new human approval.' },
          breakGlass: breakGlassPolicy,
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
        required: ['type'],
        properties: {
          type: { type: 'string', enum: ['aws', 'aws-identity-center'], description: 'aws: one AWS account\'s IAM; aws-identity-center: an IAM Identity Center instance.' },
          accountId: { type: 'string', pattern: '^[0-9]{12}$', description: 'aws: the 12-digit AWS account id.' },
          instanceArn: { type: 'string', pattern: '^arn:aws[a-z-]*:sso:::instance/(sso)?ins-[a-zA-Z0-9-.]{16}$', description: 'aws-identity-center: the instance\'s ARN.' },
          identityStoreId: { type: 'string', pattern: '^d-[0-9a-z]{10}$|^[0-9a-f]{8}\\b-[0-9a-f]{4}\\b-[0-9a-f]{4}\\b-[0-9a-f]{4}\\b-[0-9a-f]{12}$', description: 'aws-identity-center: the instance\'s identity store id (d-...).' },
          region: { type: 'string', nullable: true },
          endpoint: { type: 'string', nullable: true, description: 'Endpoint override for every AWS service of the system, e.g. a local emulator.' },
          roleArn: { type: 'string', nullable: true, pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$', description: 'The connector role grantops assumes for this system (STS AssumeRole from the run\'s credentials).' },
          planRoleArn: { type: 'string', nullable: true, pattern: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$', description: 'The read-only role grantops assumes instead of roleArn for commands that only read (plan on a pull request, inventory, risk, report, import); a run that already is this role uses it as it is.' },
          externalId: { type: 'string', nullable: true, pattern: '^[\\w+=,.@:/-]{2,1224}$', description: 'The external id the connector role\'s trust policy requires, if any.' },
        },
        allOf: [
          { if: { properties: { type: { const: 'aws' } } }, then: requireKeys('accountId') },
          { if: { properties: { type: { const: 'aws-identity-center' } } }, then: requireKeys('instanceArn', 'identityStoreId') },
        ],
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
    notifications: { ...notificationsSchema, nullable: true },
  },
} as unknown as JSONSchemaType<OrgConfig>;
// The cast: ajv's JSONSchemaType cannot express the union SystemConfig (fields required by `type`, written as if/then).
