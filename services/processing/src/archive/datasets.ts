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

/** A column as its dataset defines it: also the SQL expression that reads it. */
interface SourceColumn extends ColumnSpec {
  readonly sql: string;
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
  /**
   * The tables its rows come from and a restore writes, the one holding `instantColumn` first (where a
   * run finds the dataset's first instant).
   */
  readonly tables: readonly string[];
  /** Rows with the instant in [$1, $2), in the order the Parquet objects hold them. */
  readonly rowsSql: string;
  /** Per UTC hour with rows in [$1, $2): `hour` (hours since the epoch), `rows`, `fingerprint`. */
  readonly fingerprintSql: string;
}

export type DatasetName = "bars" | "news" | "readings";

/** Microseconds since the epoch, exactly (extract(epoch) is numeric since PostgreSQL 14). */
const micros = (column: string) => `(extract(epoch FROM ${column}) * 1000000)::int8`;

interface DatasetSource {
  readonly name: DatasetName;
  readonly version: number;
  readonly tables: readonly string[];
  readonly columns: readonly SourceColumn[];
  readonly instantColumn: string;
  /** The SQL of the instant column, as the WHERE clause filters it. */
  readonly instant: string;
  readonly from: string;
  readonly orderBy: string;
}

/**
 * A dataset from its columns' SQL: the rows query selects them; the fingerprint query takes, per hour,
 * the row count and the sum of a 64-bit hash of each row's text (the same column expressions, instants
 * as microseconds, so that the session's time zone does not matter). A sum needs no sort and no string
 * of the whole hour, and any changed, added or removed row changes it (but for a 2^-64 chance).
 */
function defineDataset(source: DatasetSource): Dataset {
  const where = `WHERE ${source.instant} >= $1 AND ${source.instant} < $2`;
  const select = source.columns.map((c) => `${c.sql} AS ${c.name}`).join(", ");
  const row = source.columns.map((c) => c.sql).join(", ");
  return {
    name: source.name,
    version: source.version,
    columns: source.columns.map(({ name, type, nullable }) => ({ name, type, nullable })),
    instantColumn: source.instantColumn,
    tables: source.tables,
    rowsSql: `SELECT ${select}
  ${source.from}
 ${where}
 ORDER BY ${source.orderBy}`,
    fingerprintSql: `SELECT hour, count(*)::int AS rows, count(*) || ':' || sum(hashtextextended(line, 0)::numeric) AS fingerprint
  FROM (SELECT floor(extract(epoch FROM ${source.instant}) / 3600)::int8 AS hour, (ROW(${row}))::text AS line
          ${source.from}
         ${where}) AS r
 GROUP BY hour
 ORDER BY hour`,
  };
}

const bars = defineDataset({
  name: "bars",
  version: 1,
  tables: ["bars"],
  instantColumn: "start_at",
  instant: "b.start_at",
  columns: [
    { name: "ticker", type: "string", nullable: false, sql: "b.ticker" },
    { name: "start_at", type: "timestamp", nullable: false, sql: micros("b.start_at") },
    { name: "open", type: "double", nullable: false, sql: "b.open" },
    { name: "high", type: "double", nullable: false, sql: "b.high" },
    { name: "low", type: "double", nullable: false, sql: "b.low" },
    { name: "close", type: "double", nullable: false, sql: "b.close" },
    { name: "volume", type: "int64", nullable: false, sql: "b.volume" },
    { name: "source", type: "string", nullable: false, sql: "b.source" },
    // NULL for a ticker's first eight bars (EMA9 is seeded by the mean of nine closes).
    { name: "ema9", type: "double", nullable: true, sql: "b.ema9" },
  ],
  from: "FROM bars b",
  orderBy: "b.ticker, b.start_at",
});

// One row per article and ticker it mentions, with that ticker's sentiment (NULL until it is scored).
const news = defineDataset({
  name: "news",
  version: 1,
  tables: ["articles", "article_tickers", "sentiments"],
  instantColumn: "published_at",
  instant: "a.published_at",
  columns: [
    { name: "ticker", type: "string", nullable: false, sql: "t.ticker" },
    { name: "article_id", type: "string", nullable: false, sql: "a.id" },
    { name: "published_at", type: "timestamp", nullable: false, sql: micros("a.published_at") },
    { name: "title", type: "string", nullable: false, sql: "a.title" },
    { name: "author", type: "string", nullable: true, sql: "a.author" },
    { name: "url", type: "string", nullable: false, sql: "a.url" },
    { name: "description", type: "string", nullable: true, sql: "a.description" },
    { name: "publisher", type: "string", nullable: false, sql: "a.publisher" },
    { name: "tickers", type: "list", nullable: false, sql: "a.tickers" },
    { name: "keywords", type: "list", nullable: false, sql: "a.keywords" },
    { name: "image_url", type: "string", nullable: true, sql: "a.image_url" },
    { name: "sentiment_score", type: "double", nullable: true, sql: "s.score" },
    { name: "sentiment_label", type: "string", nullable: true, sql: "s.label" },
    { name: "sentiment_model", type: "string", nullable: true, sql: "s.model" },
    { name: "scored_at", type: "timestamp", nullable: true, sql: micros("s.scored_at") },
  ],
  from: `FROM article_tickers t
          JOIN articles a ON a.id = t.article_id
          LEFT JOIN sentiments s ON s.article_id = t.article_id AND s.ticker = t.ticker`,
  orderBy: "a.published_at, a.id, t.ticker",
});

const readings = defineDataset({
  name: "readings",
  version: 1,
  tables: ["sensor_readings"],
  instantColumn: "at",
  instant: "r.at",
  columns: [
    { name: "device", type: "string", nullable: false, sql: "r.device" },
    { name: "at", type: "timestamp", nullable: false, sql: micros("r.at") },
    { name: "cpu_temp_c", type: "double", nullable: false, sql: "r.cpu_temp_c" },
    { name: "load1", type: "double", nullable: false, sql: "r.load1" },
  ],
  from: "FROM sensor_readings r",
  orderBy: "r.device, r.at",
});

export const DATASETS: Readonly<Record<DatasetName, Dataset>> = { bars, news, readings };
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];
