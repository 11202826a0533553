import type { Article, Bar } from "@hdp/shared";

/** What to fetch: one ticker over `[from, to)`. */
export interface RangeRequest {
  readonly ticker: string;
  /** Inclusive start. */
  readonly from: Date;
  /** Exclusive end. */
  readonly to: Date;
}

/** Where one-minute bars come from. */
export interface MarketSource {
  /** Source name written into each bar's `source` field. */
  readonly name: string;
  /**
   * One-minute bars of the regular session whose start lies in `[from, to)`,
   * in time order, one per minute at most. Minutes without trades have no bar.
   */
  fetchBars(request: RangeRequest): Promise<Bar[]>;
}

/** Where ticker news comes from. */
export interface NewsSource {
  readonly name: string;
  /** Articles about `ticker` published in `[from, to)`, newest first, each id once. */
  fetchNews(request: RangeRequest): Promise<Article[]>;
}
