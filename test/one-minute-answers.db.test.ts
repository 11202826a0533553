// GET /marketData/oneMinute sends JSON the database writes, and keeps a closed day's answer in memory.
// Over replayed days stored by processing (390 bars each, EMA9 included), every answer must be byte for
// byte the one the route gave when it read rows through the driver and serialized them itself.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, exchangeTime, inTransaction, sessionFor, type IsoDate, type Pool } from "@hdp/shared";
import { replayDayBars } from "@hdp/ingestion";
import { storeBars } from "@hdp/processing";
import { buildApp, type MiddleTierApp } from "../services/middle-tier/src/app.js";
import { CACHE_CLOSED_DAY, CACHE_LIVE } from "../services/middle-tier/src/cache.js";
import { createTestDatabase, databaseKind, type TestDatabase } from "./setup/database.js";

const CLOSED_DAY = "2024-03-04";
const LIVE_DAY = "2024-03-05";
/** 15:59 New York on LIVE_DAY: CLOSED_DAY is over, LIVE_DAY still in session (its bars all stored). */
const NOW = exchangeTime(LIVE_DAY, 15, 59);
/** A low-priced ticker, a mid-priced one and a volatile one. */
const TICKERS = ["AAL", "AAPL", "TSLA"];

/**
 * The answer as the route made it before the database wrote it: the rows read through the
 * driver (the route's former SQL), one object per bar, `JSON.stringify`.
 */
async function answerBuiltByTheService(pool: Pool, ticker: string, day: IsoDate): Promise<string> {
  const session = sessionFor(day)!;
  const { rows } = await pool.query<{
    open: number;
    high: number;
    low: number;
    close: number;
    volume: number;
    ema9: number | null;
    localTime: string;
  }>(
    `SELECT open, high, low, close, volume, ema9,
            to_char(start_at AT TIME ZONE 'America/New_York', 'YYYY-MM-DD"T"HH24:MI:SS') AS "localTime"
       FROM bars WHERE ticker = $1 AND start_at >= $2 AND start_at < $3 ORDER BY start_at`,
    [ticker, session.open, session.close],
  );
  return JSON.stringify(
    rows.map((row) => ({
      ticker,
      high: row.high,
      low: row.low,
      open: row.open,
      close: row.close,
      volume: row.volume,
      datetime: row.localTime,
      EMA9: row.ema9,
    })),
  );
}

describe(`GET /marketData/oneMinute over replayed days (${databaseKind})`, () => {
  let db: TestDatabase;
  let app: MiddleTierApp;
  const get = (ticker: string, day: IsoDate) =>
    app.inject({ method: "GET", url: `/marketData/oneMinute?ticker=${ticker}&date=${day}` });
  /** The former answer for a full replayed day (a whole session's bars). */
  const formerAnswer = async (ticker: string, day: IsoDate) => {
    const text = await answerBuiltByTheService(db.pool, ticker, day);
    expect(JSON.parse(text)).toHaveLength(390);
    return text;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    for (const day of [CLOSED_DAY, LIVE_DAY]) {
      const bars = TICKERS.flatMap((ticker) => replayDayBars("one-minute", ticker, day));
      await inTransaction(db.pool, (client) => storeBars(client, bars));
    }
    app = buildApp({
      config: { corsOrigins: [] },
      logger: createLogger({ service: "test", level: "silent" }),
      pool: db.pool,
      now: () => NOW,
      checkResponses: true,
    });
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it.each(TICKERS)(
    "answers %s's closed day byte for byte as before, then again from memory",
    async (ticker) => {
      const before = await formerAnswer(ticker, CLOSED_DAY);
      const first = await get(ticker, CLOSED_DAY);
      const kept = await get(ticker, CLOSED_DAY);
      expect(first.statusCode).toBe(200);
      expect(first.body).toBe(before);
      expect(kept.body).toBe(before);
      expect(kept.headers["cache-control"]).toBe(CACHE_CLOSED_DAY);
      expect(kept.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(kept.headers.etag).toBe(first.headers.etag);
    },
  );

  it.each(TICKERS)(
    "answers %s's day in session byte for byte as before, from the database",
    async (ticker) => {
      const before = await formerAnswer(ticker, LIVE_DAY);
      const response = await get(ticker, LIVE_DAY);
      expect(response.body).toBe(before);
      expect(response.headers["cache-control"]).toBe(CACHE_LIVE);
      expect(response.headers.etag).toBeUndefined();
    },
  );
});
