import type { JSONSchemaType } from 'ajv';
import type { NotificationSettings } from '../model.js';
import { NOTIFICATION_KINDS } from '../notify/notification-event.js';
import { identifier } from './definitions.js';

/** A secret's place: the name of an environment variable, never its value. */
export const secretRef = {
  type: 'object',
  additionalProperties: false,
  required: ['env'],
  description: 'The environment variable holding the secret (e.g. { env: GRANTOPS_SLACK_WEBHOOK }); its value is never written in the repository.',
  properties: { env: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'An environment variable name.' } },
} as const;

const common = {
  events: {
    type: 'array',
    minItems: 1,
    uniqueItems: true,
    items: { type: 'string', enum: ['all', ...NOTIFICATION_KINDS] },
    description: `The events the channel gets: all, or any of ${NOTIFICATION_KINDS.join(', ')}.`,
  },
  sensitivity: {
    type: 'array',
    items: identifier,
    uniqueItems: true,
    description: 'Only events about grants at these sensitivity levels (events about no grant, such as drift-found, always pass).',
  },
} as const;

const slack = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'webhookUrl', 'events'],
  description: 'A Slack incoming webhook: one Block Kit message per event.',
  properties: {
    type: { type: 'string', const: 'slack' },
    webhookUrl: { ...secretRef, description: 'The environment variable holding the incoming-webhook URL.' },
    ...common,
  },
} as const;

const email = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'smtp', 'from', 'events'],
  description: 'Mail over SMTP: one message per event, to the people it concerns (their email in people.yaml), or to fixed addresses.',
  properties: {
    type: { type: 'string', const: 'email' },
    smtp: {
      type: 'object',
      additionalProperties: false,
      required: ['host'],
      properties: {
        host: { type: 'string', minLength: 1, description: 'The SMTP server.' },
        port: { type: 'integer', minimum: 1, maximum: 65535, description: 'The SMTP port.' },
        secure: { type: 'boolean', description: 'TLS from the first byte (port 465); otherwise STARTTLS when the server offers it.' },
        user: { type: 'string', minLength: 1, description: 'The login; with password.' },
        password: { ...secretRef, description: 'The environment variable holding the SMTP password.' },
      },
    },
    from: { type: 'string', minLength: 3, description: 'The sender, e.g. "grantops <grantops@vandelay.example>".' },
    to: { type: 'array', minItems: 1, items: { type: 'string', format: 'email' }, description: 'Fixed addresses (e.g. a security list); without them each event goes to the people it concerns.' },
    ...common,
  },
} as const;

const webhook = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'url', 'secret', 'events'],
  description: 'Any HTTP endpoint: the event as JSON, signed (X-Grantops-Signature: sha256=HMAC of "<timestamp>.<body>", X-Grantops-Timestamp).',
  properties: {
    type: { type: 'string', const: 'webhook' },
    url: { type: 'string', pattern: '^https?://[^\\s/@]+(/\\S*)?$', description: 'Where the events are POSTed (no credentials in it: they belong in the signing secret).' },
    secret: { ...secretRef, description: 'The environment variable holding the HMAC signing key.' },
    ...common,
  },
} as const;

const CHANNEL_SCHEMAS = [slack, email, webhook];

/** The channel types, as `type:` names them. */
export const CHANNEL_TYPES = CHANNEL_SCHEMAS.map((branch) => branch.properties.type.const);

/** `notifications:` in grantops.yaml. Each channel type is one branch, picked by `type`. */
export const notificationsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['channels'],
  description: 'Where grantops tells people what happened. A level\'s `notify:` roles are added to the people each event concerns.',
  properties: {
    channels: {
      type: 'object',
      description: 'Channels by name, each with its type and the events it gets.',
      propertyNames: identifier,
      additionalProperties: {
        type: 'object',
        required: ['type'],
        properties: { type: { type: 'string', enum: [...CHANNEL_TYPES], description: 'The channel type.' } },
        allOf: CHANNEL_SCHEMAS.map((branch) => ({ if: { properties: { type: { const: branch.properties.type.const } } }, then: branch })),
      },
    },
  },
} as unknown as JSONSchemaType<NotificationSettings>;
// The cast: JSONSchemaType cannot express a union picked by `type`. Plain draft-07 if/then (which editors
// understand) rather than oneOf, so a mistake gives the errors of the branch its `type` names, not of all.
