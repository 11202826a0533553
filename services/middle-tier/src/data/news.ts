import type { Pool } from "@hdp/shared";
import { exchangeLocalTimeSql } from "./local-time.js";

/** One article for one ticker, with that ticker's sentiment when scored. */
export interface NewsRow {
  readonly id: string;
  readonly publishedAt: Date;
  /** `published_at` in whole microseconds since the epoch: the exact keyset position. */
  readonly publishedUs: number;
  readonly title: string;
  readonly author: string | null;
  readonly url: string;
  readonly description: string | null;
  readonly publisher: string;
  readonly tickers: string[];
  readonly keywords: string[];
  readonly imageUrl: string | null;
  /** Publication as exchange-local wall-clock time, `YYYY-MM-DDTHH:MM:SS`. */
  readonly localTime: string;
  readonly score: number | null;
  readonly label: "negative" | "neutral" | "positive" | null;
  readonly model: string | null;
}

/** Where a page of news resumes: strictly older than this (published instant, article id). */
export interface NewsPosition {
  readonly publishedUs: number;
  readonly id: string;
}

/** The columns of a `NewsRow`, for queries joining `article_tickers at`, `articles a` and `sentiments s`. */
export const NEWS_COLUMNS = `a.id, at.published_at AS "publishedAt",
  (extract(epoch FROM at.published_at) * 1000000)::bigint AS "publishedUs",
  a.title, a.author, a.url, a.description, a.publisher, a.tickers, a.keywords, a.image_url AS "imageUrl",
  ${exchangeLocalTimeSql("at.published_at")} AS "localTime",
  s.score, s.label, s.model`;

export interface NewsQuery {
  readonly ticker: string;
  /** Inclusive lower bound on publication. */
  readonly from: Date;
  /** Exclusive upper bound on publication. */
  readonly to: Date;
  readonly limit: number;
  readonly offset?: number;
  readonly after?: NewsPosition;
  /** Only articles scored for the ticker. */
  readonly scoredOnly?: boolean;
}

/**
 * Articles naming `ticker`, newest first, ordered by (published_at, article_id)
 * descending so that the `article_tickers_recent` index serves the range and the keyset.
 */
export async function newsFor(pool: Pool, query: NewsQuery): Promise<NewsRow[]> {
  const params: unknown[] = [query.ticker, query.from, query.to, query.limit, query.offset ?? 0];
  let keyset = "";
  if (query.after) {
    params.push(query.after.publishedUs, query.after.id);
    keyset = `AND (at.published_at, at.article_id) <
                  (timestamptz 'epoch' + $6::bigint * interval '1 microsecond', $7::text)`;
  }
  const result = await pool.query<NewsRow>(
    `SELECT ${NEWS_COLUMNS}
       FROM article_tickers at
       JOIN articles a ON a.id = at.article_id
       ${query.scoredOnly ? "" : "LEFT"} JOIN sentiments s ON s.article_id = at.article_id AND s.ticker = at.ticker
      WHERE at.ticker = $1 AND at.published_at >= $2 AND at.published_at < $3 ${keyset}
      ORDER BY at.published_at DESC, at.article_id DESC
      LIMIT $4 OFFSET $5`,
    params,
  );
  return result.rows;
}
