/** How IAM calls are retried; `sleep` and `random` are injectable so tests run instantly and repeatably. */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  /** Told of every retry (and of the last failure, with `gaveUp`), so a run can report what it took. */
  onRetry?: (reason: string, gaveUp: boolean) => void;
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
/** A connection cut mid-request reaches the caller as the SDK's wrapper ("AWS SDK error wrapper for TimeoutError: socket hang up"), with no code. */
const CUT_CONNECTION = /socket hang up|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|TimeoutError/;

function isCutConnection(e: ErrorLike & { message?: string }): boolean {
  return RETRYABLE_NODE_CODES.has(e.code ?? '') || (e.$metadata?.httpStatusCode === undefined && CUT_CONNECTION.test(e.message ?? ''));
}

export function isRetryableIamError(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const e = error as ErrorLike;
  if (RETRYABLE_NAMES.has(e.name ?? '') || RETRYABLE_NAMES.has(e.Code ?? '')) return true;
  if (isCutConnection(e)) return true;
  const status = e.$metadata?.httpStatusCode ?? 0;
  return status === 429 || status >= 500;
}

/** Why a call was retried, in the words a run reports: `Throttling`, `ConcurrentModification`, `5xx`, `connection`. */
export function retryReason(error: unknown): string {
  const e = (error ?? {}) as ErrorLike;
  const name = e.name ?? e.Code ?? '';
  if (/Throttl|TooManyRequests|RequestLimitExceeded/.test(name) || e.$metadata?.httpStatusCode === 429) return 'Throttling';
  if (/ConcurrentModification/.test(name)) return 'ConcurrentModification';
  if (isCutConnection(e) || /Timeout/.test(name)) return 'connection';
  return '5xx';
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
      if (!isRetryableIamError(error)) throw error;
      const gaveUp = attempt + 1 >= options.maxAttempts;
      options.onRetry?.(retryReason(error), gaveUp);
      if (gaveUp) throw error;
      await options.sleep(backoffDelay(attempt, options));
    }
  }
}
