// Benchmark: archiving 1,000,000 bars from PostgreSQL into the local S3-compatible server (SeaweedFS),
// beside the ceiling of writing the same rows to one local Parquet file with the same library
// (hyparquet-writer), in the same run. The database is DATABASE_URL when set (a real server; the bench
// makes and drops a database of its own there), else an embedded PGlite.
// Usage: npm run bench:archive -- [--tickers 100] [--minutes 10000]
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, createPool, migrate, type Pool } from "@hdp/shared";
import { Archiver, DATASETS, createS3Store, encodeParquet, formatBytes, type Row } from "@hdp/processing";
import { parseCommandLine } from "./lib/command-line.js";
import { createScratchDatabase } from "./lib/scratch-database.js";
import { ensureS3Binaries } from "./s3/binaries.js";
import { startS3Server } from "./s3/server.js";

const USAGE = `usage: npm run bench:archive -- [--tickers <n>] [--minutes <n>]

Archives tickers x minutes one-minute bars (default 100 x 10,000 = 1,000,000; hourly partitions of
tickers x 60 rows) from the database into a local SeaweedFS, then writes the same rows to one local
Parquet file with the same library, and prints both rates and their ratio.

  --tickers <n>   tickers (default 100)
  --minutes <n>   consecutive minutes per ticker (default 10000)
  -h, --help      print this help`;

const values = parseCommandLine({
  name: "bench:archive",
  usage: USAGE,
  options: { tickers: { type: "string", default: "100" }, minutes: { type: "string", default: "10000" } },
});
const tickers = Number(values.tickers);
const minutes = Number(values.minutes);
const log = (line: string) => console.error(line);
const START = new Date("2024-03-04T00:00:00Z");

const scratch = await createScratchDatabase({
  serverUrl: process.env.DATABASE_URL?.trim(),
  prefix: "hdp_bench_archive",
});
const url = scratch.url;
const database = scratch.kind === "postgres" ? "PostgreSQL (DATABASE_URL)" : "embedded PGlite";
const { weed } = await ensureS3Binaries(log);
const s3 = await startS3Server({ weed, log });
const dir = await mkdtemp(join(tmpdir(), "hdp-bench-archive-"));
let pool: Pool | undefined;
try {
  await migrate({ databaseUrl: url });
  pool = createPool(url, { max: 1 });
  log(`bench:archive: inserting ${tickers} x ${minutes} bars into ${database}…`);
  await pool.query(
    `INSERT INTO bars (ticker, start_at, open, high, low, close, volume, source, ema9)
     SELECT 'T' || lpad(t::text, 4, '0'), $1::timestamptz + m * interval '1 minute',
            100 + sin(m / 50.0 + t) * 10, 111 + sin(m / 50.0 + t) * 10, 89 + sin(m / 50.0 + t) * 10,
            100 + cos(m / 40.0 + t) * 10, 1000 + (m * 7919 + t * 104729) % 100000, 'bench',
            CASE WHEN m >= 8 THEN 100 + cos(m / 45.0 + t) * 10 END
       FROM generate_series(1, $2::int) AS t, generate_series(0, $3::int - 1) AS m`,
    [START, tickers, minutes],
  );
  const rows = tickers * minutes;
  const end = new Date(START.getTime() + Math.ceil(minutes / 60) * 3_600_000);
  await s3.createBucket("bench");
  const store = createS3Store({
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: "bench",
    prefix: "",
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
  });
  // SeaweedFS allocates a new bucket's volume on its first write (a few hundred ms); a store in use has
  // done so long before, so the bucket is written to once before the clock starts.
  await store.put("warm-up", new Uint8Array(1024), "application/octet-stream");
  await store.delete(["warm-up"]);
  const logger = createLogger({ service: "bench", level: "warn" });
  const archiver = new Archiver({ pool, store, logger, datasets: ["bars"] });

  log("bench:archive: archiving into the local S3 server…");
  let started = performance.now();
  const summary = await archiver.backfill(START, end);
  const archiveSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  const rerun = await archiver.backfill(START, end);
  const rerunSeconds = (performance.now() - started) / 1000;

  // The ceiling: the same rows (read before the clock starts), one Parquet file, the same library.
  const read = (await pool.query<Row>(DATASETS.bars.rowsSql, [START, end])).rows;
  started = performance.now();
  const file = join(dir, "bars.parquet");
  await writeFile(file, encodeParquet(DATASETS.bars, read));
  const ceilingSeconds = (performance.now() - started) / 1000;
  store.close();

  const rate = (n: number, s: number) => `${Math.round(n / s).toLocaleString("en-US")} rows/s`;
  console.log(
    `database:        ${database}, ${rows.toLocaleString("en-US")} bars (${tickers} tickers x ${minutes} minutes)`,
  );
  console.log(
    `archive to S3:   ${rate(summary.rows, archiveSeconds)} (${archiveSeconds.toFixed(2)} s: ${summary.written} partitions, ${formatBytes(summary.bytes)}; read from the database, encoded, uploaded, manifests)`,
  );
  console.log(
    `ceiling:         ${rate(read.length, ceilingSeconds)} (${ceilingSeconds.toFixed(2)} s: the same rows to one local Parquet file, ${formatBytes((await stat(file)).size)}, same library)`,
  );
  console.log(`ratio:           ${((ceilingSeconds / archiveSeconds) * 100).toFixed(1)} % of the ceiling`);
  console.log(
    `rerun:           ${rerunSeconds.toFixed(2)} s, ${rerun.written} partitions written (every hour unchanged)`,
  );
  if (summary.rows !== rows || read.length !== rows)
    throw new Error(`archived ${summary.rows} of ${rows} rows`);
} finally {
  await pool?.end();
  await s3.stop();
  await scratch.drop();
  await rm(dir, { recursive: true, force: true });
}
