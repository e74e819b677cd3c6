/** How IAM calls are retried; `sleep` and `random` are injectable so tests run instantly and repeatably. */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 10,
  baseDelayMs: 100,
  maxDelayMs: 20_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

interface ErrorLike {
  name?: string;
  Code?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

/** IAM answers throttling as `Throttling`; concurrent changes to one entity as `ConcurrentModification`. */
const RETRYABLE_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ConcurrentModification',
  'ConcurrentModificationException',
  'ServiceFailure',
  'ServiceFailureException',
  'RequestTimeout',
  // Identity Center: another request is changing the same permission set.
  'ConflictException',
  'TimeoutError',
]);
const RETRYABLE_NODE_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

export function isRetryableIamError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const e = error as ErrorLike;
  if (RETRYABLE_NAMES.has(e.name ?? '') || RETRYABLE_NAMES.has(e.Code ?? '')) return true;
  if (RETRYABLE_NODE_CODES.has(e.code ?? '')) return true;
  const status = e.$metadata?.httpStatusCode ?? 0;
  return status === 429 || status >= 500;
}

/** "Full jitter" exponential backoff: spreads the retries of concurrent callers apart. */
export function backoffDelay(attempt: number, options: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  return Math.floor(options.random() * Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** attempt));
}

/**
 * Runs `call`, retrying throttling, concurrent modification and transient failures with backoff.
 * Anything else, or the last retryable failure, is thrown to the caller unchanged.
 */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isRetryableIamError(error) || attempt + 1 >= options.maxAttempts) throw error;
      await options.sleep(backoffDelay(attempt, options));
    }
  }
}
