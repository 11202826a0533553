import pThrottle from "p-throttle";

/** Resolves when the caller may make its next call. */
export type RateLimiter = () => Promise<void>;

/**
 * A limiter that spaces calls evenly, `60 s / callsPerMinute` apart (Polygon's free
 * tier allows 5 calls a minute: one every 12 s). Even spacing rather than bursts
 * keeps any 60-second window under the limit, whenever the calls start.
 */
export function createRateLimiter(callsPerMinute: number, signal?: AbortSignal): RateLimiter {
  if (!(callsPerMinute > 0)) throw new RangeError(`callsPerMinute must be positive, got ${callsPerMinute}`);
  const throttle = pThrottle({
    limit: 1,
    interval: Math.ceil(60_000 / callsPerMinute),
    strict: true,
    ...(signal ? { signal } : {}),
  });
  return throttle(async () => {});
}
