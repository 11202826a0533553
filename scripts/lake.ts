// The archive as a data lake: SQL over its Parquet objects (DuckDB), and rebuilding a database from it.
// Usage: npm run lake -- --help
import { ConfigError, createPool, migrate } from "@hdp/shared";
import {
  ArchiveIntegrityError,
  ArchiveStoreError,
  DATASET_NAMES,
  RestoreRefusedError,
  createS3Store,
  loadStoreSettings,
  restoreFromArchive,
  type DatasetName,
} from "@hdp/processing";
import { parseCommandWords, usageError } from "./lib/command-line.js";
import { formatTable, openLake } from "./lib/lake.js";

const USAGE = `usage: npm run lake -- query "<SQL>" [--from <date>] [--to <date>] [--format table|json|csv]
       npm run lake -- restore --from <date> --to <date> [--database-url <url>]

query    runs SQL over the archive with DuckDB. The views bars, news and readings hold the
         partitions the manifests list for the dates asked (all of them when no date is given),
         with the partition columns date and hour (UTC). Objects are fetched once into the cache.
restore  rebuilds bars, news with sentiment, and sensor readings of the dates asked into an empty
         database (DATABASE_URL, or --database-url), migrating it first.

The store comes from the archive job's settings: ARCHIVE_S3_ENDPOINT, ARCHIVE_S3_REGION,
ARCHIVE_BUCKET, ARCHIVE_PREFIX, ARCHIVE_S3_ACCESS_KEY_ID, ARCHIVE_S3_SECRET_ACCESS_KEY
(npm run dev -- --archive prints them for its local store).

  --from <date>         first UTC date, YYYY-MM-DD (inclusive)
  --to <date>           last UTC date, YYYY-MM-DD (inclusive)
  --datasets <names>    comma-separated, of ${DATASET_NAMES.join(", ")} (default: all)
  --format <f>          query output: table (default), json (one object per line) or csv
  --database-url <url>  restore: the database (default: DATABASE_URL)
  -h, --help            print this help

Examples:
  npm run lake -- query "SELECT ticker, count(*) AS bars, max(close) FROM bars GROUP BY ticker"
  npm run lake -- query "SELECT date, avg(sentiment_score) FROM news WHERE ticker = 'AAPL' GROUP BY date" --from 2024-03-01 --to 2024-03-08
  npm run lake -- restore --from 2024-03-04 --to 2024-03-08 --database-url postgres://postgres@127.0.0.1:5432/rebuilt`;

const line = { name: "lake", usage: USAGE };
const { values, words } = parseCommandWords({
  ...line,
  options: {
    from: { type: "string" },
    to: { type: "string" },
    datasets: { type: "string" },
    format: { type: "string", default: "table" },
    "database-url": { type: "string" },
  },
});
const [command, ...rest] = words;
if (command !== "query" && command !== "restore") usageError(line, "the command is query or restore");
const date = (name: "from" | "to"): string | undefined => {
  const value = values[name];
  if (value === undefined) return undefined;
  const parsed = new Date(`${value}T00:00:00Z`);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(value) ||
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== value
  )
    usageError(line, `--${name} must be a date, YYYY-MM-DD (got "${value}")`);
  return value;
};
const from = date("from");
const to = date("to");
if (from && to && to < from) usageError(line, "--to must not be before --from");
let datasets: DatasetName[] | undefined;
if (values.datasets !== undefined) {
  datasets = values.datasets.split(",").map((s) => s.trim()) as DatasetName[];
  const unknown = datasets.filter((d) => !DATASET_NAMES.includes(d));
  if (unknown.length > 0)
    usageError(line, `--datasets: unknown ${unknown.join(", ")} (of ${DATASET_NAMES.join(", ")})`);
}
const format = values.format;
if (!["table", "json", "csv"].includes(format))
  usageError(line, `--format must be table, json or csv (got "${format}")`);

const progress = (text: string) => console.error(text);
const csvCell = (value: unknown) => {
  const text =
    value === null || value === undefined
      ? ""
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

let store: ReturnType<typeof createS3Store> | undefined;
try {
  store = createS3Store(loadStoreSettings());
  if (command === "query") {
    if (rest.length !== 1) usageError(line, 'query takes one SQL statement, quoted: query "SELECT ..."');
    const lake = await openLake({ store, from, to, datasets, progress });
    try {
      const { columns, rows } = await lake.query(rest[0]!);
      if (format === "json") for (const row of rows) console.log(JSON.stringify(row));
      else if (format === "csv") {
        console.log(columns.map(csvCell).join(","));
        for (const row of rows) console.log(columns.map((c) => csvCell(row[c])).join(","));
      } else console.log(formatTable(columns, rows));
    } catch (error) {
      if (!(error instanceof Error) || !/Error:/.test(error.message)) throw error;
      // DuckDB's own message (a parser or binder error) says what is wrong with the SQL.
      console.error(`lake query: ${error.message.split("\n")[0]}`);
      process.exitCode = 2;
    } finally {
      lake.close();
    }
  } else {
    if (rest.length > 0)
      usageError(line, `restore takes no words besides its options (got "${rest.join(" ")}")`);
    if (!from || !to) usageError(line, "restore needs --from <date> and --to <date>");
    const url = values["database-url"] ?? process.env.DATABASE_URL?.trim();
    if (!url) {
      console.error("lake restore: no database: set DATABASE_URL or pass --database-url <url>");
      process.exit(1);
    }
    await migrate({ databaseUrl: url });
    const pool = createPool(url, { max: 2, applicationName: "lake restore" });
    pool.on("error", () => {});
    try {
      const summary = await restoreFromArchive({ pool, store, from, to, datasets, progress });
      console.error(
        `lake restore: done, ${summary.partitions} partitions: ${summary.rows.bars} bars, ` +
          `${summary.rows.news} article-ticker rows, ${summary.rows.readings} readings`,
      );
    } finally {
      await pool.end();
    }
  }
} catch (error) {
  if (
    error instanceof ConfigError ||
    error instanceof ArchiveStoreError ||
    error instanceof ArchiveIntegrityError ||
    error instanceof RestoreRefusedError
  ) {
    console.error(`lake ${command}: ${error.message}`);
    process.exitCode = error instanceof ConfigError ? 2 : 1;
  } else throw error;
} finally {
  store?.close();
}
