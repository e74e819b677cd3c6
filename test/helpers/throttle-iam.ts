import { Readable } from 'node:stream';
import type { IAMClient } from '@aws-sdk/client-iam';

/** A deterministic random source, so a throttled run is the same run every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Makes `rate` of the client's HTTP requests come back as IAM's real throttling answer (HTTP 400,
 * `Throttling`) without reaching the server, as IAM does under load. Returns how many it throttled.
 */
export function injectThrottling(client: IAMClient, rate: number, random: () => number): { count: () => number } {
  const inner = client.config.requestHandler;
  let throttled = 0;
  const body = '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ErrorResponse>';
  // Inherits the real handler's other methods (destroy, config updates); only `handle` is intercepted.
  const wrapper = Object.assign(Object.create(inner) as object, {
    handle: (request: unknown, options?: unknown) => {
      if (random() < rate) {
        throttled++;
        return Promise.resolve({ response: { statusCode: 400, reason: 'Bad Request', headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(body)]) } });
      }
      return (inner.handle as (r: unknown, o?: unknown) => Promise<unknown>).call(inner, request, options);
    },
  });
  (client.config as { requestHandler: unknown }).requestHandler = wrapper;
  return { count: () => throttled };
}
