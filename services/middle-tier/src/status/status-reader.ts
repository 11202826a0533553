import type { Pool } from "@hdp/shared";
import {
  deadLettersBetween,
  lastBars,
  lastScoredArticle,
  type DeadLetterCountRow,
  type LastArticleRow,
  type LastBarRow,
} from "../data/status.js";

/** Dead letters count towards the status for this long. */
export const DEAD_LETTER_WINDOW_SECONDS = 3_600;

interface ReaderEntry {
  readonly snapshot: Promise<StatusSnapshot>;
  /** Set once the read has succeeded: what it gave and when (on `elapsedMs`). */
  settled: { readonly snapshot: StatusSnapshot; readonly atMs: number } | undefined;
}

/** What the status and the freshness gauges are computed from, read from the database at once. */
export interface StatusSnapshot {
  /** The service clock when read: the dead-letter window ends here. */
  readonly readAt: Date;
  readonly lastBars: readonly LastBarRow[];
  readonly lastArticle: LastArticleRow | undefined;
  /** In the DEAD_LETTER_WINDOW_SECONDS up to `readAt`, by source topic. */
  readonly deadLetters: readonly DeadLetterCountRow[];
}

export interface StatusReaderOptions {
  readonly pool: Pool;
  /** The service clock. */
  readonly now: () => Date;
  /** How long a read is reused, on the real clock and on the service clock alike. @default 5000 */
  readonly maxAgeMs?: number;
  /** Monotonic milliseconds that `maxAgeMs` is measured on. @default performance.now */
  readonly elapsedMs?: () => number;
}

/**
 * Reads the status snapshot, reusing a read for `maxAgeMs` after it completes and
 * sharing one that is in flight, so that scrapes and page polls, however frequent,
 * query the database at most once per interval. The interval is measured on both the
 * real and the service clock: a clock running faster than real time (a replay) must
 * not see ages computed from a snapshot older than `maxAgeMs` of its own time. A
 * failed read is not reused.
 */
export class StatusReader {
  private last: ReaderEntry | undefined;
  private readonly maxAgeMs: number;
  private readonly elapsedMs: () => number;

  constructor(private readonly options: StatusReaderOptions) {
    this.maxAgeMs = options.maxAgeMs ?? 5_000;
    this.elapsedMs = options.elapsedMs ?? (() => performance.now());
  }

  read(): Promise<StatusSnapshot> {
    const last = this.last;
    if (last && (last.settled === undefined || this.isRecent(last.settled))) return last.snapshot;
    const entry: ReaderEntry = { snapshot: this.load(), settled: undefined };
    this.last = entry;
    entry.snapshot.then(
      (snapshot) => (entry.settled = { snapshot, atMs: this.elapsedMs() }),
      () => {
        if (this.last === entry) this.last = undefined;
      },
    );
    return entry.snapshot;
  }

  private isRecent(settled: NonNullable<ReaderEntry["settled"]>): boolean {
    const serviceAgeMs = this.options.now().getTime() - settled.snapshot.readAt.getTime();
    return this.elapsedMs() - settled.atMs < this.maxAgeMs && serviceAgeMs < this.maxAgeMs;
  }

  private async load(): Promise<StatusSnapshot> {
    const { pool, now } = this.options;
    const readAt = now();
    const windowStart = new Date(readAt.getTime() - DEAD_LETTER_WINDOW_SECONDS * 1000);
    const [bars, article, deadLetters] = await Promise.all([
      lastBars(pool),
      lastScoredArticle(pool),
      deadLettersBetween(pool, windowStart, readAt),
    ]);
    return { readAt, lastBars: bars, lastArticle: article, deadLetters };
  }
}
