/**
 * The API that the contract check (`npm run api:contract`) tests: a local run on embedded defaults
 * (PGlite, the in-process bus, analytics, processing, a simulated sensor device) that replays a fixed past session and the trading
 * days before it, and the middle-tier over the stored data on the replay's clock. Fixed, so that every
 * run tests the same data.
 */
import { createLogger, createPool, sessionMinutes, type Logger, type Pool } from "@hdp/shared";
import { DEFAULT_TICKERS } from "@hdp/ingestion";
import { startMiddleTier } from "@hdp/middle-tier";
import { startLocalPipeline } from "../lib/local-pipeline.js";
import { waitFor } from "../lib/wait-for.js";

/** "Now" of the replay: Wednesday 2024-03-06 after the close, so today's whole session is replayed. */
export const CONTRACT_REPLAY_NOW = new Date("2024-03-06T22:00:00Z");
/** Trading days stored before it (2024-03-04 and 2024-03-05). */
const BACKFILL_DAYS = 2;
/** Replay minutes per real minute: the session in about 4 s. */
const SPEED = 6_000;
/** How long processing may take to store what the replay published. */
const STORED_TIMEOUT_MS = 180_000;

export interface ContractTarget {
  /** The API's base URL on 127.0.0.1. */
  readonly url: string;
  /** What is stored, for the log: `5,850 bars, 48 articles (66 sentiments)`. */
  readonly stored: string;
  stop(): Promise<void>;
}

/** Starts the local run, waits until every replayed bar and sentiment is stored, then serves the API. */
export async function startContractTarget(
  options: { log?: (line: string) => void; logger?: Logger } = {},
): Promise<ContractTarget> {
  const log = options.log ?? (() => {});
  const logger = options.logger ?? createLogger({ service: "api-contract", level: "warn" });
  const pipeline = await startLocalPipeline({
    now: CONTRACT_REPLAY_NOW,
    speed: SPEED,
    backfillDays: BACKFILL_DAYS,
    analyticsPort: 0,
    // The example device of the document, so that `/v1/sensors` examples find readings.
    simulatedDevice: DEVICE,
    logger,
    log,
  });
  // One connection, as every PGlite client of a local run (see lib/local-web.ts).
  const pool = createPool(pipeline.databaseUrl, { max: 1, applicationName: "middle-tier" });
  pool.on("error", (error) => logger.warn({ err: error }, "database connection failed"));
  const stopAll = async () => {
    await pool.end();
    await pipeline.stop();
  };
  try {
    await pipeline.replayDone;
    const days = [...pipeline.plan.backfill, pipeline.plan.day];
    const stored = await waitUntilStored(pool, days);
    const api = await startMiddleTier({
      config: { corsOrigins: [], host: "127.0.0.1", port: 0, metrics: undefined },
      logger,
      pool,
      now: () => pipeline.clock.now(),
      // An answer outside its schema is then a 500, which the check reports as a server error too.
      checkResponses: true,
    });
    return {
      url: api.url,
      stored,
      stop: async () => {
        await api.close();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * Waits until processing has stored every session bar of `days`, scored every article and stored a
 * reading of the simulated device.
 */
async function waitUntilStored(pool: Pool, days: readonly string[]): Promise<string> {
  const expected =
    days.reduce((sum, day) => sum + [...sessionMinutes(day)].length, 0) * DEFAULT_TICKERS.length;
  const summary = async () => {
    const bars = await count(pool, "SELECT count(*)::int AS n FROM bars");
    const articles = await count(pool, "SELECT count(*)::int AS n FROM articles");
    const mentions = await count(pool, "SELECT count(*)::int AS n FROM article_tickers");
    const scored = await count(pool, "SELECT count(*)::int AS n FROM sentiments");
    const readings = await count(pool, "SELECT count(*)::int AS n FROM sensor_readings");
    return { bars, articles, mentions, scored, readings };
  };
  return waitFor(
    async () => {
      const now = await summary();
      if (now.bars < expected || now.scored < now.mentions || now.readings === 0) return undefined;
      return (
        `${now.bars.toLocaleString("en-US")} bars, ${now.articles} articles (${now.scored} sentiments), ` +
        `${now.readings} sensor readings`
      );
    },
    {
      timeoutMs: STORED_TIMEOUT_MS,
      intervalMs: 1_000,
      describe: async () =>
        `the replay is not stored yet: ${JSON.stringify(await summary())}, ${expected} bars expected`,
    },
  );
}

/** The simulated device of the local run: the example device of the document (`deviceParam`). */
const DEVICE = "pi-1";

async function count(pool: Pool, sql: string): Promise<number> {
  return (await pool.query<{ n: number }>(sql)).rows[0]?.n ?? 0;
}
