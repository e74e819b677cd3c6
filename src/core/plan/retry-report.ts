/**
 * The retries one run needed, by reason (`Throttling`, `ConcurrentModification`, `5xx`, `connection`):
 * printed with the results and in the job summary, so a throttled run never reads like a clean one.
 */
export interface RetryReport {
  /** Calls sent again after a retryable failure. */
  total: number;
  byReason: Record<string, number>;
  /** Calls that still failed after the last attempt. */
  gaveUp: number;
}

export function emptyRetryReport(): RetryReport {
  return { total: 0, byReason: {}, gaveUp: 0 };
}
