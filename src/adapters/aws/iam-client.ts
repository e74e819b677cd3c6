import { IAMClient, type IAMClientConfig } from '@aws-sdk/client-iam';
import type { IamSystemRef } from '../../ports.js';

export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The IAM client for one system. The endpoint is the system's `endpoint` setting, else
 * `AWS_ENDPOINT_URL_IAM`, else `AWS_ENDPOINT_URL` (so an emulator can stand in for IAM); credentials come from the SDK's usual
 * chain (in the Action, the role assumed through GitHub's OIDC). Standard mode with one SDK attempt:
 * grantops's own loop (`withRetry`) retries, with full-jitter backoff, covering ConcurrentModification
 * too and counting every retry for the run's report. Adaptive mode's client-side rate limiter made a
 * throttled run many times slower (`bench/retry-modes.mjs`); `AWS_RETRY_MODE=adaptive` still turns it on.
 */
export function createIamClient(system: IamSystemRef, env: Env, extra: Partial<IAMClientConfig> = {}): IAMClient {
  const endpoint = system.config.endpoint ?? env.AWS_ENDPOINT_URL_IAM ?? env.AWS_ENDPOINT_URL;
  return new IAMClient({
    region: system.config.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    retryMode: env.AWS_RETRY_MODE === 'adaptive' ? 'adaptive' : 'standard',
    maxAttempts: 1,
    ...(endpoint ? { endpoint } : {}),
    ...extra,
  });
}
