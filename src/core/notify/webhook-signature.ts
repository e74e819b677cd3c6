import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-grantops-signature';
export const TIMESTAMP_HEADER = 'x-grantops-timestamp';

/** How far a receiver accepts a timestamp from its own clock (replay window). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` (Stripe's scheme): the timestamp is signed too,
 * so a captured delivery cannot be replayed later with a fresh one.
 */
export function signWebhookBody(body: string, key: string, timestamp: number): string {
  return `sha256=${createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type WebhookVerdict = { valid: true } | { valid: false; reason: string };

/** What a receiver does: the signature matches the body and timestamp, and the timestamp is recent. */
export function verifyWebhookSignature(
  body: string,
  headers: { signature?: string; timestamp?: string },
  key: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): WebhookVerdict {
  const timestamp = Number(headers.timestamp);
  if (!headers.timestamp || !Number.isInteger(timestamp)) return { valid: false, reason: 'no timestamp' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { valid: false, reason: 'timestamp outside the tolerance: a replay, or a clock far off' };
  const expected = Buffer.from(signWebhookBody(body, key, timestamp));
  const given = Buffer.from(headers.signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, reason: 'signature does not match' };
  return { valid: true };
}
