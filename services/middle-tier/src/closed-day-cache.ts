/**
 * Answers for sessions that are over, kept in memory for a short while.
 * A closed day changes only when a late bar or a correction arrives, so an answer
 * may be reused for `ttlMs`; the oldest entries go first beyond `maxEntries`.
 * What may be kept is the caller's rule (`isDayFinal` in cache.ts); the time kept is
 * real time, whatever clock the service runs on: a replay's clock stands still before
 * and after its session, and would keep an entry for ever.
 */
export class ClosedDayCache<T> {
  private readonly entries = new Map<string, { readonly answer: T; readonly expires: number }>();
  private readonly now: () => number;

  constructor(
    private readonly options: {
      readonly ttlMs: number;
      readonly maxEntries: number;
      /** Milliseconds on a monotonic real clock. @default performance.now */
      readonly now?: () => number;
      /** Told of every lookup: `hit` when a live entry answered it. */
      readonly onLookup?: (result: "hit" | "miss") => void;
    },
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  get(key: string): T | undefined {
    const answer = this.lookup(key);
    this.options.onLookup?.(answer === undefined ? "miss" : "hit");
    return answer;
  }

  private lookup(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.answer;
  }

  set(key: string, answer: T): void {
    this.entries.delete(key);
    this.entries.set(key, { answer, expires: this.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}
