/**
 * The archive's datasets: what each one reads from PostgreSQL for an hour, its Parquet columns, and the
 * SQL fingerprint by which a run tells a changed hour without reading it. A dataset's `version` is its
 * schema version, written into every manifest; change it whenever its columns change.
 *
 * Instants travel as integer microseconds since the epoch (PostgreSQL's own precision) and are written as
 * Parquet `TIMESTAMP(MICROS, UTC)`: a JavaScript Date would round them to milliseconds. Up to the year
 * 2255 they are below 2^53, so a JavaScript number holds them exactly. Doubles travel as PostgreSQL's
 * shortest exact text (extra_float_digits = 1, the default since PostgreSQL 12), so they round-trip.
 */

/** A Parquet physical column of a dataset. `list` is a list of UTF-8 strings. */
export type ColumnType = "string" | "timestamp" | "double" | "int64" | "list";

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable: boolean;
}

/** One row as read from the database or from Parquet: column name to value. */
export type Row = Record<string, string | number | readonly string[] | null>;

export interface Dataset {
  /** The top-level folder of its objects: `<dataset>/date=YYYY-MM-DD/hour=HH/`. */
  readonly name: DatasetName;
  /** Schema version, in every manifest. */
  readonly version: number;
  readonly columns: readonly ColumnSpec[];
  /** The column whose instant places a row in its hour. */
  readonly instantColumn: string;
  /** Rows with the instant in [$1, $2), in the order the Parquet objects hold them. */
  readonly rowsSql: string;
  /** Per UTC hour with rows in [$1, $2): `hour` (hours since the epoch), `rows`, `fingerprint`. */
  readonly fingerprintSql: string;
}

export type DatasetName = "bars" | "news" | "readings";

/** Microseconds since the epoch, exactly (extract(epoch) is numeric since PostgreSQL 14). */
const micros = (column: string) => `(extract(epoch FROM ${column}) * 1000000)::int8`;

/**
 * The fingerprint query over a FROM clause: per hour, the row count and the sum of a 64-bit hash of each
 * row's text (the same columns the Parquet objects hold, instants as microseconds, so that the session's
 * time zone does not matter). A sum needs no sort and no string of the whole hour, and any changed,
 * added or removed row changes it (but for a 2^-64 chance).
 */
function fingerprintSql(instant: string, rowExpression: string, from: string): string {
  return `SELECT hour, count(*)::int AS rows, count(*) || ':' || sum(hashtextextended(line, 0)::numeric) AS fingerprint
  FROM (SELECT floor(extract(epoch FROM ${instant}) / 3600)::int8 AS hour, (${rowExpression})::text AS line
          ${from}
         WHERE ${instant} >= $1 AND ${instant} < $2) AS r
 GROUP BY hour
 ORDER BY hour`;
}

const BARS_FROM = "FROM bars b";
const bars: Dataset = {
  name: "bars",
  version: 1,
  instantColumn: "start_at",
  columns: [
    { name: "ticker", type: "string", nullable: false },
    { name: "start_at", type: "timestamp", nullable: false },
    { name: "open", type: "double", nullable: false },
    { name: "high", type: "double", nullable: false },
    { name: "low", type: "double", nullable: false },
    { name: "close", type: "double", nullable: false },
    { name: "volume", type: "int64", nullable: false },
    { name: "source", type: "string", nullable: false },
    // NULL for a ticker's first eight bars (EMA9 is seeded by the mean of nine closes).
    { name: "ema9", type: "double", nullable: true },
  ],
  rowsSql: `SELECT b.ticker, ${micros("b.start_at")} AS start_at, b.open, b.high, b.low, b.close, b.volume,
       b.source, b.ema9
  ${BARS_FROM}
 WHERE b.start_at >= $1 AND b.start_at < $2
 ORDER BY b.ticker, b.start_at`,
  fingerprintSql: fingerprintSql(
    "b.start_at",
    `ROW(b.ticker, ${micros("b.start_at")}, b.open, b.high, b.low, b.close, b.volume, b.source, b.ema9)`,
    BARS_FROM,
  ),
};

// One row per article and ticker it mentions, with that ticker's sentiment (NULL until it is scored).
const NEWS_FROM = `FROM article_tickers t
          JOIN articles a ON a.id = t.article_id
          LEFT JOIN sentiments s ON s.article_id = t.article_id AND s.ticker = t.ticker`;
const news: Dataset = {
  name: "news",
  version: 1,
  instantColumn: "published_at",
  columns: [
    { name: "ticker", type: "string", nullable: false },
    { name: "article_id", type: "string", nullable: false },
    { name: "published_at", type: "timestamp", nullable: false },
    { name: "title", type: "string", nullable: false },
    { name: "author", type: "string", nullable: true },
    { name: "url", type: "string", nullable: false },
    { name: "description", type: "string", nullable: true },
    { name: "publisher", type: "string", nullable: false },
    { name: "tickers", type: "list", nullable: false },
    { name: "keywords", type: "list", nullable: false },
    { name: "image_url", type: "string", nullable: true },
    { name: "sentiment_score", type: "double", nullable: true },
    { name: "sentiment_label", type: "string", nullable: true },
    { name: "sentiment_model", type: "string", nullable: true },
    { name: "scored_at", type: "timestamp", nullable: true },
  ],
  rowsSql: `SELECT t.ticker, a.id AS article_id, ${micros("a.published_at")} AS published_at, a.title, a.author,
       a.url, a.description, a.publisher, a.tickers, a.keywords, a.image_url, s.score AS sentiment_score,
       s.label AS sentiment_label, s.model AS sentiment_model, ${micros("s.scored_at")} AS scored_at
  ${NEWS_FROM}
 WHERE a.published_at >= $1 AND a.published_at < $2
 ORDER BY a.published_at, a.id, t.ticker`,
  fingerprintSql: fingerprintSql(
    "a.published_at",
    `ROW(t.ticker, a.id, ${micros("a.published_at")}, a.title, a.author, a.url, a.description, a.publisher,
         a.tickers, a.keywords, a.image_url, s.score, s.label, s.model, ${micros("s.scored_at")})`,
    NEWS_FROM,
  ),
};

const READINGS_FROM = "FROM sensor_readings r";
const readings: Dataset = {
  name: "readings",
  version: 1,
  instantColumn: "at",
  columns: [
    { name: "device", type: "string", nullable: false },
    { name: "at", type: "timestamp", nullable: false },
    { name: "cpu_temp_c", type: "double", nullable: false },
    { name: "load1", type: "double", nullable: false },
  ],
  rowsSql: `SELECT r.device, ${micros("r.at")} AS at, r.cpu_temp_c, r.load1
  ${READINGS_FROM}
 WHERE r.at >= $1 AND r.at < $2
 ORDER BY r.device, r.at`,
  fingerprintSql: fingerprintSql(
    "r.at",
    `ROW(r.device, ${micros("r.at")}, r.cpu_temp_c, r.load1)`,
    READINGS_FROM,
  ),
};

export const DATASETS: Readonly<Record<DatasetName, Dataset>> = { bars, news, readings };
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];
