import pRetry, { AbortError } from "p-retry";
import { isRetriable } from "../errors/errors.js";

export interface RetryOptions {
  /** Attempts after the first. @default Infinity */
  readonly retries?: number;
  /** First delay in ms. @default 200 */
  readonly minDelayMs?: number;
  /** Longest delay in ms. @default 10_000 */
  readonly maxDelayMs?: number;
  /** Stops retrying (the last error is thrown) once aborted. */
  readonly signal?: AbortSignal;
  /** Called before each wait, e.g. to log or to send a Kafka heartbeat. */
  readonly onRetry?: (error: unknown, attempt: number) => void | Promise<void>;
}

/**
 * Runs `operation` until it succeeds, retrying errors for which {@link isRetriable}
 * holds with exponential backoff and full jitter. Non-retriable errors are thrown at once.
 */
export async function withRetry<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  return pRetry(
    async () => {
      try {
        return await operation();
      } catch (error) {
        if (!isRetriable(error)) throw new AbortError(error instanceof Error ? error : String(error));
        throw error;
      }
    },
    {
      // The underlying `retry` package precomputes one delay per attempt: "forever" reuses the
      // last (longest) delay instead of an infinite list.
      ...(options.retries === undefined || options.retries === Number.POSITIVE_INFINITY
        ? { retries: 32, forever: true }
        : { retries: options.retries }),
      minTimeout: options.minDelayMs ?? 200,
      maxTimeout: options.maxDelayMs ?? 10_000,
      factor: 2,
      randomize: true,
      ...(options.signal ? { signal: options.signal } : {}),
      onFailedAttempt: async (context) => {
        await options.onRetry?.(context, context.attemptNumber);
      },
    },
  );
}
