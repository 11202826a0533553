import { inTransaction, type Bar } from "@hdp/shared";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createTestDatabase,
  databaseKind,
  snapshotTables,
  type TestDatabase,
} from "../../../../test/setup/database.js";
import { EMPTY_SEED, emaSeries } from "./ema.js";
import { storeBars } from "./store-bars.js";

function series(ticker: string, n: number, startIso = "2024-03-04T14:30:00.000Z"): Bar[] {
  const t0 = Date.parse(startIso);
  let price = 100;
  return Array.from({ length: n }, (_, i) => {
    const open = price;
    price = Math.round((price + Math.sin(i * 1.7) * 0.8 + (i % 7) * 0.05 - 0.15) * 100) / 100;
    const close = price;
    return {
      ticker,
      start: new Date(t0 + i * 60_000).toISOString(),
      open,
      high: Math.max(open, close) + 0.1,
      low: Math.min(open, close) - 0.1,
      close,
      volume: 1000 + i,
      source: "test",
    };
  });
}

async function store(db: TestDatabase, bars: Bar[]): Promise<number> {
  return (await inTransaction(db.pool, (c) => storeBars(c, bars))).rowsWritten;
}

async function storedEmas(db: TestDatabase, ticker: string): Promise<(number | null)[]> {
  const { rows } = await db.pool.query<{ ema9: number | null }>(
    "SELECT ema9 FROM bars WHERE ticker = $1 ORDER BY start_at",
    [ticker],
  );
  return rows.map((r) => r.ema9);
}

describe(`storeBars (${databaseKind})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.pool.query("TRUNCATE bars");
  });

  it("stores every bar with EMA9 computed over the ticker's whole series", async () => {
    const bars = series("AAPL", 60);
    await store(db, bars.slice(0, 25));
    await store(db, bars.slice(25));
    expect(await storedEmas(db, "AAPL")).toEqual(
      emaSeries(
        EMPTY_SEED,
        bars.map((b) => b.close),
      ),
    );
  });

  it("writes nothing when the same bars arrive again", async () => {
    const bars = series("MSFT", 40);
    expect(await store(db, bars)).toBe(40);
    const before = await snapshotTables(db.pool);
    expect(await store(db, bars)).toBe(0);
    expect(await store(db, bars.slice(10, 20))).toBe(0);
    expect(await snapshotTables(db.pool)).toEqual(before);
  });

  it("recomputes EMA9 from a late bar onward", async () => {
    const bars = series("AMD", 50);
    const late = bars.splice(20, 1);
    await store(db, bars);
    await store(db, late);
    const all = series("AMD", 50);
    expect(await storedEmas(db, "AMD")).toEqual(
      emaSeries(
        EMPTY_SEED,
        all.map((b) => b.close),
      ),
    );
  });

  it("ends with the in-order result whatever the arrival order", async () => {
    const bars = series("TSLA", 80);
    const shuffled = [...bars].sort(
      (a, b) => ((Date.parse(a.start) * 7919) % 97) - ((Date.parse(b.start) * 7919) % 97),
    );
    for (let i = 0; i < shuffled.length; i += 7) await store(db, shuffled.slice(i, i + 7));
    expect(await storedEmas(db, "TSLA")).toEqual(
      emaSeries(
        EMPTY_SEED,
        bars.map((b) => b.close),
      ),
    );
  });

  it("applies a corrected bar and the EMA9 of every later bar", async () => {
    const bars = series("AAL", 30);
    await store(db, bars);
    const corrected = { ...bars[12]!, close: bars[12]!.close + 1, high: bars[12]!.high + 1 };
    const written = await store(db, [corrected]);
    const closes = bars.map((b) => b.close);
    closes[12] = corrected.close;
    expect(await storedEmas(db, "AAL")).toEqual(emaSeries(EMPTY_SEED, closes));
    expect(written).toBe(30 - 12);
  });

  it("keeps tickers apart in one batch", async () => {
    const a = series("AAPL", 20);
    const b = series("MSFT", 20).map((bar) => ({
      ...bar,
      close: bar.close * 2,
      high: bar.high * 2,
      open: bar.open * 2,
      low: bar.low * 2,
    }));
    await store(db, [...a, ...b]);
    expect(await storedEmas(db, "AAPL")).toEqual(
      emaSeries(
        EMPTY_SEED,
        a.map((x) => x.close),
      ),
    );
    expect(await storedEmas(db, "MSFT")).toEqual(
      emaSeries(
        EMPTY_SEED,
        b.map((x) => x.close),
      ),
    );
  });
});
