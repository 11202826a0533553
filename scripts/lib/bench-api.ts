import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import { build } from "vite";
import {
  createLogger,
  createPool,
  exchangeTime,
  inTransaction,
  migrate,
  sessionFor,
  startPgliteServer,
  type Pool,
} from "@hdp/shared";
import { buildApp, type MiddleTierApp } from "@hdp/middle-tier";
import { candlesJsonBetween, oneMinuteJsonBetween } from "../../services/middle-tier/src/data/bars.js";
import { storeBars } from "@hdp/processing";
import { replayDayBars } from "@hdp/ingestion";

const FRONTEND = fileURLToPath(new URL("../../services/frontend/", import.meta.url));
const TICKER = "AAPL";
const DAY = "2024-03-05";
/** A clock inside DAY's session, its last bar already stored: DAY is "today", answered live. */
const DURING_DAY = exchangeTime(DAY, 15, 59);

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

/** One route's figures over the same session's rows, all measured in the same run. */
export interface RouteFigures {
  /** `GET /path`. */
  readonly route: string;
  /** The closed day as clients ask for it, answered from the closed-day cache. */
  readonly cached: LatencyFigures;
  /** How the closed-day request reads, for the report. */
  readonly cachedRequest: string;
  /** The same rows through the database on every request. */
  readonly uncached: LatencyFigures;
  /** How the uncached request reads, for the report. */
  readonly uncachedRequest: string;
  /** The route's SQL through the same driver and pool, as many loops as connections, no HTTP. */
  readonly ceiling: LatencyFigures;
  /** `cached` over `ceiling`, in requests per second. */
  readonly ratio: number;
  /** `uncached` over `ceiling`, in requests per second. */
  readonly ratioUncached: number;
}

export interface ApiBenchResult {
  readonly database: string;
  readonly bars: number;
  readonly routes: readonly RouteFigures[];
  readonly pageJsGzipBytes: number;
}

/** What is measured of a route: its two requests (paths with query) and its SQL. */
interface RouteUnderTest {
  readonly route: string;
  readonly cachedRequest: string;
  readonly uncachedRequest: string;
  /** Which app answers the uncached request: one on the real clock, or one inside the session. */
  readonly uncachedApp: "closed" | "live";
  readonly query: () => Promise<unknown>;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** `query` (a route's SQL through the driver and pool), `connections` loops at once, no HTTP. */
async function measureCeiling(
  query: () => Promise<unknown>,
  connections: number,
  seconds: number,
): Promise<LatencyFigures> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        await query();
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

/** `url` under load through HTTP, autocannon as the client. */
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

/** The routes measured, over TICKER's bars of DAY. */
function routesUnderTest(pool: Pool): RouteUnderTest[] {
  const session = sessionFor(DAY)!;
  const range = `from=${session.open.toISOString()}&to=${session.close.toISOString()}`;
  return [
    {
      route: "GET /v1/candles",
      cachedRequest: `/v1/candles?ticker=${TICKER}&date=${DAY}`,
      uncachedRequest: `/v1/candles?ticker=${TICKER}&${range}`,
      uncachedApp: "closed",
      query: () => candlesJsonBetween(pool, TICKER, session.open, session.close),
    },
    {
      route: "GET /marketData/oneMinute",
      cachedRequest: `/marketData/oneMinute?ticker=${TICKER}&date=${DAY}`,
      // The same request on a clock inside the session: today's day, never kept.
      uncachedRequest: `/marketData/oneMinute?ticker=${TICKER}&date=${DAY}`,
      uncachedApp: "live",
      query: () => oneMinuteJsonBetween(pool, TICKER, session.open, session.close),
    },
  ];
}

/** Checks that `url` answers every bar of the day, so that what is measured is the full answer. */
async function expectFullDay(url: string, bars: number): Promise<void> {
  const body = (await (await fetch(url)).json()) as { candles: unknown[] } | unknown[];
  const answered = Array.isArray(body) ? body.length : body.candles.length;
  if (answered !== bars) throw new Error(`bench: ${url} answered ${answered} bars, not ${bars}`);
}

async function measureRoute(
  target: RouteUnderTest,
  origins: Record<RouteUnderTest["uncachedApp"], string>,
  bars: number,
  options: ApiBenchOptions,
): Promise<RouteFigures> {
  const { connections, seconds, log } = options;
  const cachedUrl = `${origins.closed}${target.cachedRequest}`;
  const uncachedUrl = `${origins[target.uncachedApp]}${target.uncachedRequest}`;
  await expectFullDay(cachedUrl, bars);
  await expectFullDay(uncachedUrl, bars);
  await measureApi(cachedUrl, connections, 2); // warm-up
  const cached = await measureApi(cachedUrl, connections, seconds);
  log(`bench: ${target.route} closed day ${Math.round(cached.requestsPerSecond)} req/s`);
  const uncached = await measureApi(uncachedUrl, connections, seconds);
  log(`bench: ${target.route} uncached ${Math.round(uncached.requestsPerSecond)} req/s`);
  const ceiling = await measureCeiling(target.query, connections, seconds);
  log(`bench: ${target.route} ceiling ${Math.round(ceiling.requestsPerSecond)} queries/s`);
  return {
    route: target.route,
    cached,
    cachedRequest: target.cachedRequest,
    uncached,
    uncachedRequest:
      target.uncachedApp === "live" ? `${target.uncachedRequest} during the session` : target.uncachedRequest,
    ceiling,
    ratio: cached.requestsPerSecond / ceiling.requestsPerSecond,
    ratioUncached: uncached.requestsPerSecond / ceiling.requestsPerSecond,
  };
}

/** Seeds a full day of bars, then measures each route and its query ceiling in the same run. */
export async function runApiBench(options: ApiBenchOptions): Promise<ApiBenchResult> {
  const { log } = options;
  const pglite = process.env.DATABASE_URL ? undefined : await startPgliteServer();
  const databaseUrl = process.env.DATABASE_URL ?? pglite!.url;
  const database = pglite ? "PGlite (set DATABASE_URL for a real server)" : "PostgreSQL (DATABASE_URL)";
  // PGlite serves one backend: one connection. A real server gets a pool per side.
  const poolSize = pglite ? 1 : 10;
  const logger = createLogger({ service: "bench", level: "warn" });
  const pool = createPool(databaseUrl, { max: poolSize });
  // Two apps on the one pool: on the real clock (DAY is over) and on a clock inside DAY's session.
  const apps: MiddleTierApp[] = [undefined, DURING_DAY].map((at) =>
    buildApp({ config: { corsOrigins: [] }, logger, pool, ...(at ? { now: () => at } : {}) }),
  );
  try {
    await migrate({ databaseUrl });
    const bars = replayDayBars("bench", TICKER, DAY);
    await inTransaction(pool, (client) => storeBars(client, bars));
    const [closed, live] = await Promise.all(apps.map((app) => app.listen({ host: "127.0.0.1", port: 0 })));
    log(
      `bench: ${bars.length} bars of ${TICKER} on ${DAY} in ${database}; ${options.connections} connections, ${options.seconds} s each`,
    );
    const routes: RouteFigures[] = [];
    for (const target of routesUnderTest(pool)) {
      routes.push(await measureRoute(target, { closed: closed!, live: live! }, bars.length, options));
    }
    return { database, bars: bars.length, routes, pageJsGzipBytes: await pageJsGzipBytes(log) };
  } finally {
    await Promise.all(apps.map((app) => app.close()));
    await pool.end();
    await pglite?.stop();
  }
}
