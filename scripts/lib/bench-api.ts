import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { build } from "vite";
import {
  createLogger,
  createPool,
  inTransaction,
  migrate,
  sessionFor,
  startPgliteServer,
  type Pool,
} from "@hdp/shared";
import { buildApp } from "@hdp/middle-tier";
import { candlesJsonBetween } from "../../services/middle-tier/src/data/bars.js";
import { storeBars } from "@hdp/processing";
import { replayDayBars } from "@hdp/ingestion";

const FRONTEND = fileURLToPath(new URL("../../services/frontend/", import.meta.url));
const TICKER = "AAPL";
const DAY = "2024-03-05";

export interface ApiBenchOptions {
  readonly connections: number;
  readonly seconds: number;
  readonly log: (line: string) => void;
}

export interface LatencyFigures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export interface ApiBenchResult {
  readonly database: string;
  readonly bars: number;
  /** `?date=` of a closed session: what clients ask, answered from the closed-day cache. */
  readonly api: LatencyFigures;
  /** `?from=&to=` over the same session: the same rows, through the database every time. */
  readonly apiUncached: LatencyFigures;
  readonly ceiling: LatencyFigures;
  readonly ratio: number;
  readonly ratioUncached: number;
  readonly pageJsGzipBytes: number;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The route's SQL through the same driver and pool, `connections` loops at once, no HTTP. */
async function measureCeiling(pool: Pool, connections: number, seconds: number): Promise<LatencyFigures> {
  const session = sessionFor(DAY)!;
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        await candlesJsonBetween(pool, TICKER, session.open, session.close);
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

/** `/v1/candles` for a full day under load through HTTP, autocannon as the client. */
async function measureApi(url: string, connections: number, seconds: number): Promise<LatencyFigures> {
  // The load comes from a worker thread, so that the client does not share the server's event loop.
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1, workers: 1 });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`bench: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
  return { requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99 };
}

/** Gzipped size of the JavaScript of the built page. */
async function pageJsGzipBytes(log: (line: string) => void): Promise<number> {
  log("bench: building the page…");
  await build({ configFile: join(FRONTEND, "vite.config.ts"), logLevel: "warn" });
  const assets = join(FRONTEND, "dist", "assets");
  let total = 0;
  for (const file of (await readdir(assets)).filter((f) => f.endsWith(".js"))) {
    total += gzipSync(await readFile(join(assets, file)), { level: 9 }).length;
  }
  return total;
}

/** Seeds a full day of bars, then measures the API and the query ceiling in the same run. */
export async function runApiBench(options: ApiBenchOptions): Promise<ApiBenchResult> {
  const { log } = options;
  const pglite = process.env.DATABASE_URL ? undefined : await startPgliteServer();
  const databaseUrl = process.env.DATABASE_URL ?? pglite!.url;
  const database = pglite ? "PGlite (set DATABASE_URL for a real server)" : "PostgreSQL (DATABASE_URL)";
  // PGlite serves one backend: one connection. A real server gets a pool per side.
  const poolSize = pglite ? 1 : 10;
  const logger = createLogger({ service: "bench", level: "warn" });
  const pool = createPool(databaseUrl, { max: poolSize });
  const app = buildApp({ config: { corsOrigins: [] }, logger, pool });
  try {
    await migrate({ databaseUrl });
    const bars = replayDayBars("bench", TICKER, DAY);
    await inTransaction(pool, (client) => storeBars(client, bars));
    const url = `${await app.listen({ host: "127.0.0.1", port: 0 })}/v1/candles?ticker=${TICKER}&date=${DAY}`;
    const check = (await (await fetch(url)).json()) as { candles: unknown[] };
    if (check.candles.length !== bars.length)
      throw new Error(`bench: API returned ${check.candles.length} bars`);
    log(
      `bench: ${bars.length} bars of ${TICKER} on ${DAY} in ${database}; ${options.connections} connections, ${options.seconds} s each`,
    );

    const session = sessionFor(DAY)!;
    const uncachedUrl = url.replace(
      `date=${DAY}`,
      `from=${session.open.toISOString()}&to=${session.close.toISOString()}`,
    );
    await measureApi(url, options.connections, 2); // warm-up
    const api = await measureApi(url, options.connections, options.seconds);
    log(`bench: API ${Math.round(api.requestsPerSecond)} req/s`);
    const apiUncached = await measureApi(uncachedUrl, options.connections, options.seconds);
    log(`bench: API without cache ${Math.round(apiUncached.requestsPerSecond)} req/s`);
    const ceiling = await measureCeiling(pool, options.connections, options.seconds);
    log(`bench: ceiling ${Math.round(ceiling.requestsPerSecond)} queries/s`);
    return {
      database,
      bars: bars.length,
      api,
      apiUncached,
      ceiling,
      ratio: api.requestsPerSecond / ceiling.requestsPerSecond,
      ratioUncached: apiUncached.requestsPerSecond / ceiling.requestsPerSecond,
      pageJsGzipBytes: await pageJsGzipBytes(log),
    };
  } finally {
    await app.close();
    await pool.end();
    await pglite?.stop();
  }
}
