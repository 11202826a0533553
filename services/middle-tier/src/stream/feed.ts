import type { Pool } from "@hdp/shared";
import { BAR_COLUMNS, type BarRow } from "../data/bars.js";
import { NEWS_COLUMNS, type NewsRow } from "../data/news.js";

/** Where a ticker's feed stands: the newest bar and the newest sentiment already seen. */
export interface FeedPosition {
  barAt: Date | null;
  scoredAt: Date | null;
  scoredId: string;
}

/** What appeared after a position, oldest first. */
export interface FeedUpdate {
  readonly bars: BarRow[];
  readonly news: NewsRow[];
}

/** Rows fetched per poll at most; a backlog drains over the following polls. */
const BATCH = 500;

/** The current end of `ticker`'s bars and sentiments: a client connecting now starts here. */
export async function feedPosition(pool: Pool, ticker: string): Promise<FeedPosition> {
  const result = await pool.query<{ barAt: Date | null; scoredAt: Date | null; scoredId: string | null }>(
    `SELECT (SELECT max(start_at) FROM bars WHERE ticker = $1) AS "barAt",
            s.scored_at AS "scoredAt", s.article_id AS "scoredId"
       FROM (SELECT 1) one
       LEFT JOIN LATERAL (
         SELECT scored_at, article_id FROM sentiments WHERE ticker = $1
          ORDER BY scored_at DESC, article_id DESC LIMIT 1
       ) s ON true`,
    [ticker],
  );
  const row = result.rows[0];
  return { barAt: row?.barAt ?? null, scoredAt: row?.scoredAt ?? null, scoredId: row?.scoredId ?? "" };
}

/**
 * Bars that start after `position.barAt` and news scored after `position.scoredAt`,
 * and advances `position` past them.
 */
export async function readFeed(pool: Pool, ticker: string, position: FeedPosition): Promise<FeedUpdate> {
  const bars = await pool.query<BarRow>(
    `SELECT ${BAR_COLUMNS} FROM bars
      WHERE ticker = $1 AND ($2::timestamptz IS NULL OR start_at > $2)
      ORDER BY start_at LIMIT ${BATCH}`,
    [ticker, position.barAt],
  );
  const news = await pool.query<NewsRow & { scoredAt: Date }>(
    `SELECT ${NEWS_COLUMNS}, s.scored_at AS "scoredAt"
       FROM sentiments s
       JOIN article_tickers at ON at.article_id = s.article_id AND at.ticker = s.ticker
       JOIN articles a ON a.id = s.article_id
      WHERE s.ticker = $1 AND ($2::timestamptz IS NULL OR (s.scored_at, s.article_id) > ($2, $3::text))
      ORDER BY s.scored_at, s.article_id LIMIT ${BATCH}`,
    [ticker, position.scoredAt, position.scoredId],
  );
  const lastBar = bars.rows.at(-1);
  if (lastBar) position.barAt = lastBar.startAt;
  const lastNews = news.rows.at(-1);
  if (lastNews) {
    position.scoredAt = lastNews.scoredAt;
    position.scoredId = lastNews.id;
  }
  return { bars: bars.rows, news: news.rows };
}
