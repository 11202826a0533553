import type { Article, PoolClient } from "@hdp/shared";

/**
 * Stores articles deduplicated by id (the first stored version wins) and links
 * each to its tickers. Runs inside the caller's transaction. Returns the number
 * of new articles.
 */
export async function storeArticles(client: PoolClient, articles: readonly Article[]): Promise<number> {
  const byId = new Map(articles.map((a) => [a.id, a]));
  if (byId.size === 0) return 0;
  const list = [...byId.values()];
  const inserted = await client.query(
    `INSERT INTO articles (id, published_at, title, author, url, description, publisher, tickers, keywords, image_url)
     SELECT id, published_at, title, author, url, description, publisher,
            ARRAY(SELECT json_array_elements_text(tickers)), ARRAY(SELECT json_array_elements_text(keywords)), image_url
       FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::json[], $9::json[], $10::text[])
            AS a(id, published_at, title, author, url, description, publisher, tickers, keywords, image_url)
     ON CONFLICT (id) DO NOTHING`,
    [
      list.map((a) => a.id),
      list.map((a) => a.publishedAt),
      list.map((a) => a.title),
      list.map((a) => a.author),
      list.map((a) => a.url),
      list.map((a) => a.description),
      list.map((a) => a.publisher),
      list.map((a) => JSON.stringify(a.tickers)),
      list.map((a) => JSON.stringify(a.keywords)),
      list.map((a) => a.imageUrl),
    ],
  );
  // Links come from the stored article, so a re-sent article with other tickers changes nothing.
  await client.query(
    `INSERT INTO article_tickers (article_id, ticker, published_at)
     SELECT a.id, t.ticker, a.published_at
       FROM articles a CROSS JOIN LATERAL unnest(a.tickers) AS t(ticker)
      WHERE a.id = ANY($1::text[])
     ON CONFLICT DO NOTHING`,
    [list.map((a) => a.id)],
  );
  return inserted.rowCount ?? 0;
}

/** An (article, ticker) pair that has no sentiment yet, with the text to score. */
export interface UnscoredArticle {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly tickers: readonly string[];
}

/** The articles among `ids` with at least one ticker not scored yet. */
export async function findUnscored(client: PoolClient, ids: readonly string[]): Promise<UnscoredArticle[]> {
  if (ids.length === 0) return [];
  const rows = await client.query<{
    id: string;
    title: string;
    description: string | null;
    tickers: string[];
  }>(
    `SELECT a.id, a.title, a.description, array_agg(at.ticker ORDER BY at.ticker) AS tickers
       FROM article_tickers at
       JOIN articles a ON a.id = at.article_id
       LEFT JOIN sentiments s ON s.article_id = at.article_id AND s.ticker = at.ticker
      WHERE at.article_id = ANY($1::text[]) AND s.article_id IS NULL
      GROUP BY a.id, a.title, a.description
      ORDER BY a.id`,
    [ids],
  );
  return rows.rows;
}

export interface SentimentRow {
  readonly articleId: string;
  readonly ticker: string;
  readonly score: number;
  readonly label: string;
  readonly model: string;
  readonly scoredAt: string;
}

/** Stores one sentiment row per (article, ticker); an existing row is kept. */
export async function storeSentiments(client: PoolClient, rows: readonly SentimentRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await client.query(
    `INSERT INTO sentiments (article_id, ticker, score, label, model, scored_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[], $5::text[], $6::timestamptz[])
     ON CONFLICT DO NOTHING`,
    [
      rows.map((r) => r.articleId),
      rows.map((r) => r.ticker),
      rows.map((r) => r.score),
      rows.map((r) => r.label),
      rows.map((r) => r.model),
      rows.map((r) => r.scoredAt),
    ],
  );
  return result.rowCount ?? 0;
}
