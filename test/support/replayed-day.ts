import { createPool, type Logger } from "@hdp/shared";
import { startLocalPipeline } from "../../scripts/lib/local-pipeline.js";
import { waitFor } from "../../scripts/lib/wait-for.js";

/** After the close of 2024-03-05: the local pipeline backfills the 4th whole and replays the 5th. */
export const REPLAY_NOW = new Date("2024-03-05T21:30:00Z");
/** The day stored whole by {@link storeReplayedDay}. */
export const REPLAYED_DAY = "2024-03-04";
/** The replay's tickers: 390 bars each on a full day. */
export const REPLAY_TICKERS = ["AAL", "AAPL", "AMD", "MSFT", "TSLA"];

export interface ReplayedDayOptions {
  readonly databaseUrl: string;
  readonly logger: Logger;
  /** The simulated Raspberry Pi sending readings, and how many of them to wait for. @default pi-sim, none */
  readonly device?: { readonly name: string; readonly readings: number };
}

/**
 * Runs the real local pipeline (ingestion replay, processing, analytics) into `databaseUrl` until the
 * whole of {@link REPLAYED_DAY} is stored, every article is scored (and, with a device, its readings
 * are in), then stops it.
 */
export async function storeReplayedDay(options: ReplayedDayOptions): Promise<void> {
  const pipeline = await startLocalPipeline({
    now: REPLAY_NOW,
    speed: 600,
    backfillDays: 1,
    analyticsPort: 0,
    databaseUrl: options.databaseUrl,
    ...(options.device ? { simulatedDevice: options.device.name } : {}),
    logger: options.logger,
  });
  const pool = createPool(options.databaseUrl, { max: 1 });
  const count = async (sql: string, params: unknown[] = []) =>
    (await pool.query<{ n: number }>(sql, params)).rows[0]!.n;
  const wanted = REPLAY_TICKERS.length * 390;
  try {
    const barsOfDay = () =>
      count("SELECT count(*)::int AS n FROM bars WHERE start_at::date = $1", [REPLAYED_DAY]);
    await waitFor(async () => ((await barsOfDay()) >= wanted ? true : undefined), {
      timeoutMs: 120_000,
      intervalMs: 250,
      describe: async () => `the day's bars stored (${await barsOfDay()} of ${wanted})`,
    });
    const device = options.device;
    if (device) {
      const readings = () => count("SELECT count(*)::int AS n FROM sensor_readings");
      await waitFor(async () => ((await readings()) >= device.readings ? true : undefined), {
        timeoutMs: 60_000,
        intervalMs: 250,
        describe: async () => `${device.readings} readings stored (${await readings()})`,
      });
    }
    const unscored = () =>
      count(
        "SELECT CASE WHEN count(*) = 0 THEN -1 ELSE count(*) FILTER (WHERE s.article_id IS NULL) END::int AS n" +
          " FROM article_tickers t LEFT JOIN sentiments s USING (article_id, ticker)",
      );
    await waitFor(async () => ((await unscored()) === 0 ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 250,
      describe: async () => `every article scored (${await unscored()} left; -1: no article yet)`,
    });
  } finally {
    await pool.end();
    await pipeline.stop();
  }
}
