import type { JSONSchemaType } from 'ajv';
import type { Person } from '../model.js';
import { SCHEMA_BASE, identifier, login } from './definitions.js';

export const personSchema: JSONSchemaType<Person> = {
  type: 'object',
  additionalProperties: false,
  required: ['login', 'name'],
  properties: {
    login: { ...login, description: 'GitHub login.' },
    name: { type: 'string', minLength: 1 },
    email: { type: 'string', format: 'email', nullable: true },
    manager: { ...login, nullable: true, description: 'Login of this person\'s manager.' },
    roles: { type: 'array', items: identifier, uniqueItems: true, nullable: true, description: 'Roles such as executive.' },
    aws: {
      type: 'object',
      nullable: true,
      additionalProperties: false,
      minProperties: 1,
      required: [],
      properties: {
        user: { type: 'string', nullable: true, pattern: '^[\\w+=,.@-]{1,64}$', description: 'IAM user name (aws systems).' },
        identityCenterUser: { type: 'string', nullable: true, minLength: 1, maxLength: 128, description: 'User name in IAM Identity Center (aws-identity-center systems); default: the person\'s email.' },
      },
    },
  },
};

export const peopleSchema: JSONSchemaType<Person[]> = {
  $id: `${SCHEMA_BASE}people.schema.json`,
  title: 'access/people.yaml',
  description: 'Everyone in the organisation.',
  type: 'array',
  items: personSchema,
};
