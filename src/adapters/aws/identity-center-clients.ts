import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { IamSystemRef } from '../../ports.js';
import type { ClientCredentials, Env } from './system-credentials.js';

/** The two services an Identity Center system is read and changed through. */
export interface IdentityCenterClients {
  ssoAdmin: SSOAdminClient;
  identityStore: IdentitystoreClient;
}

/**
 * The clients of one Identity Center system: its region, its `endpoint` (else `AWS_ENDPOINT_URL_SSO_ADMIN`
 * / `AWS_ENDPOINT_URL_IDENTITYSTORE`, else `AWS_ENDPOINT_URL`), signed with the system's credentials.
 */
export function createIdentityCenterClients(system: IamSystemRef, env: Env, credentials: ClientCredentials | undefined): IdentityCenterClients {
  const region = system.config.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const common = { region, maxAttempts: 1, ...(credentials ? { credentials } : {}) };
  const endpoint = (name: string) => system.config.endpoint ?? env[`AWS_ENDPOINT_URL_${name}`] ?? env.AWS_ENDPOINT_URL;
  const ssoEndpoint = endpoint('SSO_ADMIN');
  const storeEndpoint = endpoint('IDENTITYSTORE');
  return {
    ssoAdmin: new SSOAdminClient({ ...common, ...(ssoEndpoint ? { endpoint: ssoEndpoint } : {}) }),
    identityStore: new IdentitystoreClient({ ...common, ...(storeEndpoint ? { endpoint: storeEndpoint } : {}) }),
  };
}
