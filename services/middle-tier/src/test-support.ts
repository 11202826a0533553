import { afterAll, beforeAll } from "vitest";
import { createLogger, exchangeTime, sessionFor, type IsoDate, type Logger, type Pool } from "@hdp/shared";
import { createTestDatabase, type TestDatabase } from "../../../test/setup/database.js";
import { buildApp, type MiddleTierApp } from "./app.js";

/** The two trading days seeded (a Monday and a Tuesday), and "now": 10:00 New York on the second. */
export const DAY_1 = "2024-03-04";
export const DAY_2 = "2024-03-05";
export const NOW = new Date("2024-03-05T15:00:00.000Z");
/**
 * The Friday before DAY_1, seeded with every bar of its session for both tickers: the one
 * complete closed day (DAY_1's bars stop after BARS_PER_DAY minutes, as if still being stored).
 */
export const COMPLETE_DAY = "2024-03-01";
/** Bars per ticker and day in the session (a pre-market bar is seeded besides). */
export const BARS_PER_DAY = 12;
/** AAPL articles seeded, all within the four days up to DAY_2; one of them is unscored. */
export const AAPL_ARTICLES = 25;

/**
 * An app over `pool` with a silent logger (unless one is given), the clock pinned at
 * NOW (unless `now` says otherwise), and every answer checked against its schema.
 */
export function buildTestApp(
  pool: Pool,
  options: { corsOrigins?: string[]; now?: Date; statusCacheMs?: number; logger?: Logger } = {},
): MiddleTierApp {
  const now = options.now ?? NOW;
  return buildApp({
    config: { corsOrigins: options.corsOrigins ?? [] },
    logger: options.logger ?? createLogger({ service: "middle-tier-test", level: "silent" }),
    pool,
    now: () => now,
    ...(options.statusCacheMs === undefined ? {} : { statusCacheMs: options.statusCacheMs }),
    checkResponses: true,
  });
}

/** What a test file works on: the seeded database and an app over it. */
export interface SeededApp {
  readonly db: TestDatabase;
  readonly app: MiddleTierApp;
}

/**
 * For the test file that calls it: a fresh database, seeded, and an app over it
 * (`buildTestApp` unless `build` says otherwise), made before its tests and closed
 * after them. The fields can be read once the tests run.
 */
export function useSeededApp(
  build: (pool: Pool) => MiddleTierApp | Promise<MiddleTierApp> = (pool) => buildTestApp(pool),
): SeededApp {
  let db: TestDatabase | undefined;
  let app: MiddleTierApp | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.pool);
    app = await build(db.pool);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useSeededApp: read before its beforeAll ran");
    return value;
  };
  return {
    get db() {
      return ready(db);
    },
    get app() {
      return ready(app);
    },
  };
}

/**
 * Seeds AAPL and MSFT bars for DAY_1 and DAY_2 (with EMA9 from the ninth bar, and
 * one pre-market bar per day) and the whole session of COMPLETE_DAY, AAPL news (some also naming MSFT, one unscored,
 * two sharing a publication instant), and two devices' readings.
 */
export async function seedDatabase(pool: Pool): Promise<void> {
  await insertSession(pool, "AAPL", COMPLETE_DAY, 160);
  await insertSession(pool, "MSFT", COMPLETE_DAY, 390);
  for (const [ticker, base] of [
    ["AAPL", 170],
    ["MSFT", 400],
  ] as const) {
    for (const [d, day] of [DAY_1, DAY_2].entries()) {
      const open = exchangeTime(day, 9, 30).getTime();
      const preMarket = new Date(exchangeTime(day, 8, 0).getTime());
      await insertBar(pool, ticker, preMarket, base, null);
      for (let i = 0; i < BARS_PER_DAY; i++) {
        const close = base + d * 2 + i * 0.5;
        await insertBar(pool, ticker, new Date(open + i * 60_000), close, i >= 8 ? close - 0.25 : null);
      }
    }
  }
  for (let i = 0; i < AAPL_ARTICLES; i++) {
    // Every two hours back from 14:40 UTC on DAY_2; articles 3 and 4 share an instant.
    const at = new Date(NOW.getTime() - 20 * 60_000 - Math.min(i, i === 4 ? 3 : i) * 2 * 3_600_000);
    const tickers = i % 5 === 0 ? ["AAPL", "MSFT"] : ["AAPL"];
    await insertArticle(pool, `a-${String(i).padStart(2, "0")}`, at, tickers, i === 1 ? [] : tickers, i);
  }
  for (const device of ["pi-1", "pi-2"]) {
    for (let m = 0; m < 5; m++) {
      await pool.query(
        "INSERT INTO sensor_readings (device, at, cpu_temp_c, load1) VALUES ($1, $2, $3, $4)",
        [device, new Date(NOW.getTime() - (5 - m) * 60_000), 45 + m, 0.5 + m / 10],
      );
    }
  }
}

/** Stores a bar of `ticker` for every minute of `day`'s session (09:30-16:00), closes rising from `base`. */
export async function insertSession(pool: Pool, ticker: string, day: IsoDate, base: number): Promise<void> {
  const session = sessionFor(day);
  if (!session) throw new Error(`insertSession: ${day} has no session`);
  await pool.query(
    `INSERT INTO bars (ticker, start_at, open, high, low, close, volume, source, ema9)
     SELECT $1, $2::timestamptz + make_interval(mins => m), c - 0.1, c + 0.3, c - 0.3, c, 1000, 'test', c
       FROM generate_series(0, $4::int - 1) AS m, LATERAL (SELECT $3::float8 + m * 0.01 AS c) p`,
    [ticker, session.open, base, (session.close.getTime() - session.open.getTime()) / 60_000],
  );
}

/** Stores one test bar of `ticker` starting at `at`. */
export async function insertBar(pool: Pool, ticker: string, at: Date, close: number, ema9: number | null) {
  await pool.query(
    `INSERT INTO bars (ticker, start_at, open, high, low, close, volume, source, ema9)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'test', $8)`,
    [ticker, at, close - 0.1, close + 0.3, close - 0.3, close, 1000, ema9],
  );
}

async function insertArticle(
  pool: Pool,
  id: string,
  at: Date,
  tickers: string[],
  scored: string[],
  i: number,
) {
  await pool.query(
    `INSERT INTO articles (id, published_at, title, author, url, description, publisher, tickers, keywords, image_url)
     VALUES ($1, $2, $3, $4, $5, $6, 'Test Wire', $7, $8, $9)`,
    [
      id,
      at,
      `Headline ${i}`,
      i % 2 === 0 ? "A. Writer" : null,
      `https://news.example/${id}`,
      i === 0 ? "x".repeat(300) : `Short description ${i}`,
      tickers,
      ["markets"],
      i % 3 === 0 ? `https://img.example/${id}.png` : null,
    ],
  );
  for (const ticker of tickers) {
    await pool.query("INSERT INTO article_tickers (article_id, ticker, published_at) VALUES ($1, $2, $3)", [
      id,
      ticker,
      at,
    ]);
  }
  const score = [-0.6, 0, 0.7][i % 3] ?? 0;
  const label = score > 0 ? "positive" : score < 0 ? "negative" : "neutral";
  for (const ticker of scored) {
    await pool.query(
      `INSERT INTO sentiments (article_id, ticker, score, label, model, scored_at)
       VALUES ($1, $2, $3, $4, 'fake@1', $5)`,
      [id, ticker, score, label, at],
    );
  }
}
