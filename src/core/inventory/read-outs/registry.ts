import type { SystemConfig } from '../../model.js';
import { iamAccountReadOut } from './iam-account-read-out.js';
import { identityCenterReadOut } from './identity-center-read-out.js';
import type { SystemReadOut } from './system-read-out.js';

/** The read-out of each type of system; a new type adds its file here (the record makes it required). */
export const SYSTEM_READ_OUTS: Readonly<Record<SystemConfig['type'], SystemReadOut>> = {
  aws: iamAccountReadOut,
  'aws-identity-center': identityCenterReadOut,
};
