import type { Pool } from "@hdp/shared";

/** The newest stored bar of one ticker. */
export interface LastBarRow {
  readonly ticker: string;
  readonly startAt: Date;
}

/** The scored article published last. */
export interface LastArticleRow {
  readonly id: string;
  readonly publishedAt: Date;
  readonly scoredAt: Date;
}

/** Dead letters recorded for one source topic. */
export interface DeadLetterCountRow {
  readonly topic: string;
  readonly count: number;
}

/**
 * The newest bar of every ticker, by ticker. A skip scan of the primary key
 * (ticker, start_at): one index probe per ticker for its name and one for its newest
 * bar, however many bars are stored.
 */
export async function lastBars(pool: Pool): Promise<LastBarRow[]> {
  const result = await pool.query<LastBarRow>(
    `WITH RECURSIVE tickers AS (
       (SELECT ticker FROM bars ORDER BY ticker LIMIT 1)
       UNION ALL
       SELECT (SELECT b.ticker FROM bars b WHERE b.ticker > t.ticker ORDER BY b.ticker LIMIT 1)
         FROM tickers t WHERE t.ticker IS NOT NULL
     )
     SELECT t.ticker, (SELECT max(b.start_at) FROM bars b WHERE b.ticker = t.ticker) AS "startAt"
       FROM tickers t
      WHERE t.ticker IS NOT NULL
      ORDER BY t.ticker`,
  );
  return result.rows;
}

/** The scored article with the latest publication (its latest score), or undefined when none is scored. */
export async function lastScoredArticle(pool: Pool): Promise<LastArticleRow | undefined> {
  const result = await pool.query<LastArticleRow>(
    `SELECT a.id, a.published_at AS "publishedAt", s.scored_at AS "scoredAt"
       FROM sentiments s
       JOIN articles a ON a.id = s.article_id
      ORDER BY a.published_at DESC, s.scored_at DESC, a.id DESC
      LIMIT 1`,
  );
  return result.rows[0];
}

/** Dead letters with `from < failed_at <= to`, by source topic. */
export async function deadLettersBetween(pool: Pool, from: Date, to: Date): Promise<DeadLetterCountRow[]> {
  const result = await pool.query<DeadLetterCountRow>(
    `SELECT topic, count(*)::int AS count
       FROM dead_letters
      WHERE failed_at > $1 AND failed_at <= $2
      GROUP BY topic
      ORDER BY topic`,
    [from, to],
  );
  return result.rows;
}
