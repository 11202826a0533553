import type { BusProducer, Logger } from "@hdp/shared";
import type { MarketSource, NewsSource } from "../sources/types.js";
import type { PublishedGuard } from "./published-guard.js";

/** What the market and news jobs work with. */
export interface JobContext {
  readonly logger: Logger;
  readonly producer: BusProducer;
  readonly tickers: readonly string[];
  readonly market: MarketSource;
  readonly news: NewsSource;
  /** What this process already published; share one per process. */
  readonly guard: PublishedGuard;
}

/** A ticker whose fetch failed; the job went on with the others. */
export interface TickerFailure {
  readonly ticker: string;
  readonly error: unknown;
}

/** One-line description of an error for logs and progress lines. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
