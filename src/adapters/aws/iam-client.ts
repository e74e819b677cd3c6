import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import type { IamSystemRef } from '../../ports.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The IAM client for one system. The endpoint is the system's `endpoint` setting, else
 * `AWS_ENDPOINT_URL_IAM`, else `AWS_ENDPOINT_URL` (so an emulator can stand in for IAM); credentials come from the SDK's usual
 * chain (in the Action, the role assumed through GitHub's OIDC). Adaptive mode gives client-side rate
 * limiting that slows the client down when IAM throttles it; retries themselves are grantops's own
 * (`withRetry`), which also covers ConcurrentModification and whose backoff tests can drive.
 * `AWS_RETRY_MODE=standard` turns the rate limiting off, as for any AWS SDK.
 */
export function createIamClient(system: IamSystemRef, env: Env, extra: Partial<IAMClientConfig> = {}): IAMClient {
  const endpoint = system.config.endpoint ?? env.AWS_ENDPOINT_URL_IAM ?? env.AWS_ENDPOINT_URL;
  return new IAMClient({
    region: system.config.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    retryMode: env.AWS_RETRY_MODE === 'standard' ? 'standard' : 'adaptive',
    maxAttempts: 1,
    ...(endpoint ? { endpoint } : {}),
    ...extra,
  });
}
