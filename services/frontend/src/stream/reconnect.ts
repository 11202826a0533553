/** First and longest wait before reopening a stream the server closed. */
export const RECONNECT_BASE_MS = 1_000;
export const RECONNECT_MAX_MS = 30_000;

/** Exponential backoff: 1 s, 2 s, 4 s … capped at 30 s, for the `attempt`-th retry (0-based). */
export function reconnectDelay(attempt: number): number {
  return Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, attempt));
}
