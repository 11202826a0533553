/**
 * Rebuilding the database from the archive: bars (with their EMA9 as archived), articles with their
 * tickers and sentiments, and sensor readings of a date range, into a database with none of them. Every
 * object is checked against its manifest before a row of it is written; a partition goes in whole, in
 * one transaction, or not at all.
 */
import { inTransaction, type Pool, type PoolClient } from "@hdp/shared";
import { DATASETS, DATASET_NAMES, type DatasetName, type Row } from "./datasets.js";
import { isoMicros } from "./layout.js";
import { decodeParquet } from "./parquet.js";
import { listManifests, readListedObject } from "./reader.js";
import type { ObjectStore } from "./store.js";

export class RestoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RestoreRefusedError";
  }
}

export interface RestoreOptions {
  readonly pool: Pool;
  readonly store: ObjectStore;
  /** First and last UTC date, inclusive. */
  readonly from: string;
  readonly to: string;
  readonly datasets?: readonly DatasetName[];
  readonly progress?: (line: string) => void;
}

export interface RestoreSummary {
  readonly partitions: number;
  /** Rows per dataset (news: article-ticker rows). */
  readonly rows: Readonly<Record<DatasetName, number>>;
}

const instant = (micros: unknown) => (micros === null ? null : isoMicros(micros as number));

async function insertBars(client: PoolClient, rows: readonly Row[]): Promise<void> {
  await client.query(
    `INSERT INTO bars (ticker, start_at, open, high, low, close, volume, source, ema9)
     SELECT ticker, start_at, open, high, low, close, volume, source, ema9
       FROM json_to_recordset($1::json) AS r(ticker text, start_at timestamptz, open float8, high float8,
                                             low float8, close float8, volume int8, source text, ema9 float8)`,
    [JSON.stringify(rows.map((r) => ({ ...r, start_at: instant(r.start_at) })))],
  );
}

async function insertNews(client: PoolClient, rows: readonly Row[]): Promise<void> {
  const json = JSON.stringify(
    rows.map((r) => ({ ...r, published_at: instant(r.published_at), scored_at: instant(r.scored_at) })),
  );
  await client.query(
    `INSERT INTO articles (id, published_at, title, author, url, description, publisher, tickers, keywords, image_url)
     SELECT DISTINCT ON (article_id) article_id, published_at, title, author, url, description, publisher,
            ARRAY(SELECT json_array_elements_text(tickers)), ARRAY(SELECT json_array_elements_text(keywords)),
            image_url
       FROM json_to_recordset($1::json) AS r(article_id text, published_at timestamptz, title text, author text,
                                             url text, description text, publisher text, tickers json,
                                             keywords json, image_url text)
      ORDER BY article_id
     ON CONFLICT (id) DO NOTHING`,
    [json],
  );
  await client.query(
    `INSERT INTO article_tickers (article_id, ticker, published_at)
     SELECT article_id, ticker, published_at
       FROM json_to_recordset($1::json) AS r(article_id text, ticker text, published_at timestamptz)`,
    [json],
  );
  await client.query(
    `INSERT INTO sentiments (article_id, ticker, score, label, model, scored_at)
     SELECT article_id, ticker, sentiment_score, sentiment_label, sentiment_model, scored_at
       FROM json_to_recordset($1::json) AS r(article_id text, ticker text, sentiment_score float8,
                                             sentiment_label text, sentiment_model text, scored_at timestamptz)
      WHERE sentiment_score IS NOT NULL`,
    [json],
  );
}

async function insertReadings(client: PoolClient, rows: readonly Row[]): Promise<void> {
  await client.query(
    `INSERT INTO sensor_readings (device, at, cpu_temp_c, load1)
     SELECT device, at, cpu_temp_c, load1
       FROM json_to_recordset($1::json) AS r(device text, at timestamptz, cpu_temp_c float8, load1 float8)`,
    [JSON.stringify(rows.map((r) => ({ ...r, at: instant(r.at) })))],
  );
}

const INSERT: Record<DatasetName, (client: PoolClient, rows: readonly Row[]) => Promise<void>> = {
  bars: insertBars,
  news: insertNews,
  readings: insertReadings,
};

/** Restores the archive's rows of [from, to] (UTC dates) into an empty (migrated) database. */
export async function restoreFromArchive(options: RestoreOptions): Promise<RestoreSummary> {
  const datasets = options.datasets ?? DATASET_NAMES;
  const log = options.progress ?? (() => {});
  for (const dataset of datasets) {
    for (const table of DATASETS[dataset].tables) {
      const { rows } = await options.pool.query<{ any: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM ${table}) AS any`,
      );
      if (rows[0]?.any)
        throw new RestoreRefusedError(
          `the database already holds ${table}: a restore goes into an empty database (create one and point --database-url at it)`,
        );
    }
  }
  await options.store.check();
  const manifests = await listManifests(options.store, { datasets, from: options.from, to: options.to });
  const rows: Record<DatasetName, number> = { bars: 0, news: 0, readings: 0 };
  for (const [i, listed] of manifests.entries()) {
    const dataset = DATASETS[listed.manifest.dataset];
    if (listed.manifest.datasetVersion !== dataset.version)
      throw new RestoreRefusedError(
        `${listed.key}: dataset version ${listed.manifest.datasetVersion}; this release reads version ${dataset.version}`,
      );
    const partition: Row[] = [];
    for (const object of listed.manifest.objects) {
      partition.push(...(await decodeParquet(dataset, await readListedObject(options.store, object))));
    }
    if (partition.length !== listed.manifest.rowCount)
      throw new RestoreRefusedError(
        `${listed.key}: its objects hold ${partition.length} rows, the manifest says ${listed.manifest.rowCount}`,
      );
    await inTransaction(options.pool, (client) => INSERT[dataset.name](client, partition));
    rows[dataset.name] += partition.length;
    log(
      `restore: ${dataset.name} ${listed.hourStart.toISOString().slice(0, 13)}h: ${partition.length} rows [${i + 1}/${manifests.length}]`,
    );
  }
  return { partitions: manifests.length, rows };
}
