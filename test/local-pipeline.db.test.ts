import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, createPool, sessionFor, sessionMinutes } from "@hdp/shared";
import { planReplay, startLocalPipeline, type LocalPipeline } from "../scripts/lib/local-pipeline.js";
import { createTestDatabase, databaseKind, type TestDatabase } from "./setup/database.js";

const logger = createLogger({ service: "test", level: "silent" });
/** Wednesday 10:00 New York (EST): today's session is in progress. */
const NOW = new Date("2024-03-06T15:00:00Z");
const TICKERS = ["AAL", "AAPL", "AMD", "MSFT", "TSLA"];
/** 10 replay minutes per real second: the whole session would take 39 s. */
const SPEED = 600;

/** Handles that keep a Node.js process alive, by kind (servers, sockets, timers). */
function liveHandles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

describe("planReplay: which day plays as today", () => {
  it("plays today, and backfills the three trading days before it, once today's session has opened", () => {
    expect(planReplay(NOW, 3)).toMatchObject({
      day: "2024-03-06",
      backfill: ["2024-03-01", "2024-03-04", "2024-03-05"],
      note: undefined,
    });
  });

  it("plays the latest session before today's open, and says so", () => {
    const plan = planReplay(new Date("2024-03-06T13:00:00Z"), 3);
    expect(plan.day).toBe("2024-03-05");
    expect(plan.note).toBe("2024-03-06 has not opened yet; replaying 2024-03-05, the latest session");
  });

  it("plays the latest session on a closed day, naming the closure", () => {
    const plan = planReplay(new Date("2024-03-29T15:00:00Z"), 2);
    expect(plan).toMatchObject({ day: "2024-03-28", backfill: ["2024-03-26", "2024-03-27"] });
    expect(plan.note).toBe("2024-03-29 is closed (Good Friday); replaying 2024-03-28, the latest session");
  });
});

describe(`the local pipeline, replaying 2024-03-06 at ${SPEED}x (${databaseKind})`, () => {
  let db: TestDatabase;
  let pipeline: LocalPipeline;
  const lines: string[] = [];

  const count = async (sql: string, params: unknown[] = []) =>
    (await db.pool.query<{ n: number }>(sql, params)).rows[0]!.n;
  const barsBetween = (ticker: string | null, from: Date, to: Date) =>
    count(
      "SELECT count(*)::int AS n FROM bars WHERE ($1::text IS NULL OR ticker = $1) AND start_at >= $2 AND start_at < $3",
      [ticker, from, to],
    );

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    pipeline = await startLocalPipeline({
      now: NOW,
      speed: SPEED,
      analyticsPort: 0,
      databaseUrl: db.url,
      logger,
      log: (line) => lines.push(line),
    });
  });

  afterAll(async () => {
    await pipeline?.stop();
    await db?.close();
  });

  it("stores every regular-session bar of the three trading days before today, per ticker and day", async () => {
    expect(pipeline.plan.backfill).toEqual(["2024-03-01", "2024-03-04", "2024-03-05"]);
    const { open } = pipeline.plan.session;
    await expect
      .poll(() => barsBetween(null, new Date("2024-03-01T00:00:00Z"), open), { timeout: 30_000 })
      .toBe(3 * 5 * 390);
    for (const day of pipeline.plan.backfill) {
      const session = sessionFor(day)!;
      for (const ticker of TICKERS) {
        expect(await barsBetween(ticker, session.open, session.close), `${day} ${ticker}`).toBe(
          [...sessionMinutes(day)].length,
        );
      }
    }
    expect(lines).toContainEqual(
      expect.stringMatching(/^backfill: 3\/3 days, 2024-03-05 TSLA 390 bars, \d+ articles$/),
    );
  });

  it("computes EMA9 on every bar from each ticker's ninth on", async () => {
    const rows = await db.pool.query<{ ticker: string; missing: number; first: number; bars: number }>(
      `SELECT ticker, count(*) FILTER (WHERE ema9 IS NULL)::int AS missing,
              min(n) FILTER (WHERE ema9 IS NOT NULL)::int AS first, count(*)::int AS bars
       FROM (SELECT ticker, ema9, row_number() OVER (PARTITION BY ticker ORDER BY start_at) AS n FROM bars) b
       GROUP BY ticker ORDER BY ticker`,
    );
    expect(rows.rows.map((r) => r.ticker)).toEqual(TICKERS);
    for (const row of rows.rows) expect(row, row.ticker).toMatchObject({ missing: 8, first: 9 });
  });

  it("stores the news and scores every article for each ticker it names, with all three labels", async () => {
    await expect.poll(() => count("SELECT count(*)::int AS n FROM articles")).toBeGreaterThan(30);
    await expect
      .poll(
        async () =>
          (await count("SELECT count(*)::int AS n FROM sentiments")) ===
          (await count("SELECT count(*)::int AS n FROM article_tickers")),
        { timeout: 20_000 },
      )
      .toBe(true);
    const labels = await db.pool.query<{ label: string }>(
      "SELECT DISTINCT label FROM sentiments ORDER BY label",
    );
    expect(labels.rows.map((r) => r.label)).toEqual(["negative", "neutral", "positive"]);
    const today = await count("SELECT count(*)::int AS n FROM articles WHERE published_at >= $1", [
      "2024-03-06T05:00:00Z",
    ]);
    expect(today).toBeGreaterThan(0);
  });

  it("stores today's bars minute by minute as the replay clock advances", async () => {
    const { open, close } = pipeline.plan.session;
    const today = () => barsBetween(null, open, close);
    await expect.poll(today, { timeout: 20_000 }).toBeGreaterThan(0);
    const first = await today();
    expect(first).toBeLessThan(5 * 390);
    await expect.poll(today, { timeout: 10_000 }).toBeGreaterThan(first + 5 * 10);
  });

  it("runs a simulated Raspberry Pi whose readings are stored, stamped on the replay clock", async () => {
    expect(pipeline.simulatedDevice).toBe("pi-sim");
    const readings = () =>
      count("SELECT count(*)::int AS n FROM sensor_readings WHERE device = $1", [pipeline.simulatedDevice]);
    await expect.poll(readings, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    const rows = await db.pool.query<{ at: Date; cpu_temp_c: number; load1: number }>(
      "SELECT at, cpu_temp_c, load1 FROM sensor_readings WHERE device = 'pi-sim' ORDER BY at",
    );
    for (const row of rows.rows) {
      // The replay's today, not the real clock: the API's default window (24 h before its now) shows them.
      expect(row.at.getTime()).toBeGreaterThanOrEqual(pipeline.plan.session.open.getTime());
      expect(row.at.getTime()).toBeLessThanOrEqual(pipeline.clock.now().getTime());
      expect(row.cpu_temp_c).toBeGreaterThan(35);
      expect(row.cpu_temp_c).toBeLessThan(70);
      expect(row.load1).toBeGreaterThan(0);
    }
  });

  it("stops the replay and every service, and leaves nothing running", async () => {
    await pipeline.stop();
    await expect(pipeline.replayDone).resolves.toBeUndefined();
    expect(lines.at(-1)).toBe("stopped replay, processing, analytics, bus, database");
    await expect(fetch(`${pipeline.analyticsUrl}/healthz`)).rejects.toThrow();
  });
});

describe("the local pipeline on its own embedded database", () => {
  let pipeline: LocalPipeline;
  let handlesBefore: Record<string, number>;

  beforeAll(async () => {
    handlesBefore = liveHandles();
    pipeline = await startLocalPipeline({
      now: NOW,
      speed: SPEED,
      analyticsPort: 0,
      backfillDays: 0,
      logger,
    });
  });

  afterAll(() => pipeline?.stop());

  it("serves an in-memory PGlite on loopback with the schema migrated", async () => {
    expect(pipeline.databaseKind).toBe("embedded PGlite (in memory)");
    expect(pipeline.busKind).toBe("memory");
    expect(new URL(pipeline.databaseUrl).hostname).toBe("127.0.0.1");
    const pool = createPool(pipeline.databaseUrl, { max: 1 });
    try {
      const tables = await pool.query<{ name: string }>(
        "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      );
      expect(tables.rows.map((r) => r.name)).toContain("bars");
    } finally {
      await pool.end();
    }
  });

  it("leaves no server, socket or timer behind once stopped", async () => {
    await pipeline.stop();
    const probe = createPool(pipeline.databaseUrl, { max: 1 });
    await expect(probe.query("SELECT 1")).rejects.toThrow();
    await probe.end();
    // Closed sockets leave the list on the next turns of the event loop.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const after = liveHandles();
    for (const kind of ["TCPServerWrap", "TCPSocketWrap", "Timeout"]) {
      expect(after[kind] ?? 0, kind).toBeLessThanOrEqual(handlesBefore[kind] ?? 0);
    }
  });
});
