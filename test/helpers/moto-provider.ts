import { AwsIamProvider } from '../../src/adapters/aws/aws-iam-provider.js';
import { countIamCalls, type IamCallCounts } from '../../src/adapters/aws/count-calls.js';
import { createIamClient } from '../../src/adapters/aws/iam-client.js';
import { MOTO_CREDENTIALS } from './moto.js';
import { injectThrottling, seededRandom } from './throttle-iam.js';

export interface MotoProvider {
  provider: AwsIamProvider;
  /** The IAM calls of the last client the provider made. */
  calls: () => IamCallCounts;
  /** How many requests were answered with Throttling before reaching moto. */
  throttled: () => number;
}

/**
 * The aws provider as grantops builds it, its client sent to `endpoint` (moto, or a proxy in front of it)
 * through AWS_ENDPOINT_URL_IAM, its calls counted, its backoff sleeps instant; with `throttle`, that share
 * of its requests is answered with IAM's Throttling (seeded, so a run is the same run every time).
 */
export function motoProvider(endpoint: string, options: { throttle?: number; seed?: number; env?: Record<string, string> } = {}): MotoProvider {
  let counts: IamCallCounts | undefined;
  let throttled = () => 0;
  const provider = new AwsIamProvider({
    retry: { sleep: async () => undefined },
    clientFor: (sys) => {
      const client = createIamClient(sys, { AWS_ENDPOINT_URL_IAM: endpoint, ...options.env }, { credentials: MOTO_CREDENTIALS });
      counts = countIamCalls(client);
      if (options.throttle) throttled = injectThrottling(client, options.throttle, seededRandom(options.seed ?? 7)).count;
      return client;
    },
  });
  return { provider, calls: () => counts!, throttled: () => throttled() };
}
