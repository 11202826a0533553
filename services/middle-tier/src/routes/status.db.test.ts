import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exchangeTime, statusResponseSchema, TOPICS, type Pool, type StatusResponse } from "@hdp/shared";
import { createTestDatabase, type TestDatabase } from "../../../../test/setup/database.js";
import { DAY_1, DAY_2, NOW, buildTestApp, insertBar, useSeededApp } from "../test-support.js";

const seeded = useSeededApp((pool) => buildTestApp(pool, { statusCacheMs: 0 }));

/** `GET /v1/status` of an app over `pool` whose clock reads `now`. */
async function statusAt(pool: Pool, now: Date): Promise<StatusResponse> {
  const app = buildTestApp(pool, { now, statusCacheMs: 0 });
  try {
    const response = await app.inject({ method: "GET", url: "/v1/status" });
    expect(response.statusCode).toBe(200);
    return statusResponseSchema.parse(response.json());
  } finally {
    await app.close();
  }
}

async function insertDeadLetter(pool: Pool, topic: string, offset: number, failedAt: Date) {
  await pool.query(
    `INSERT INTO dead_letters (topic, partition, "offset", reason, failed_at) VALUES ($1, 0, $2, 'schema', $3)`,
    [topic, String(offset), failedAt],
  );
}

describe("GET /v1/status on the seeded days (10:00 New York on DAY_2, bars up to 09:41)", () => {
  it("answers the newest bar and its age per ticker, the newest scored article, the session and no dead letters", async () => {
    const response = await seeded.app.inject({ method: "GET", url: "/v1/status" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-cache");
    const lastBar = {
      lastBarStart: "2024-03-05T14:41:00.000Z",
      lastBarEnd: "2024-03-05T14:42:00.000Z",
      ageSeconds: 1_080,
      behindSeconds: 1_080,
      freshness: "stale",
    };
    expect(response.json()).toEqual({
      at: NOW.toISOString(),
      freshness: "stale",
      thresholds: { freshSeconds: 120, lateSeconds: 300 },
      market: {
        exchange: "XNYS",
        open: true,
        sessionOpenedAt: "2024-03-05T14:30:00.000Z",
        elapsedSeconds: 1_800,
        nextClose: "2024-03-05T21:00:00.000Z",
        nextOpen: "2024-03-06T14:30:00.000Z",
        previousClose: "2024-03-04T21:00:00.000Z",
      },
      tickers: [
        { ticker: "AAPL", ...lastBar },
        { ticker: "MSFT", ...lastBar },
      ],
      // a-00, published 20 minutes before NOW, is the newest scored article.
      lastArticle: {
        id: "a-00",
        publishedAt: "2024-03-05T14:40:00.000Z",
        scoredAt: "2024-03-05T14:40:00.000Z",
        ageSeconds: 1_200,
      },
      deadLetters: {
        windowSeconds: 3_600,
        total: 0,
        byTopic: { [TOPICS.bars]: 0, [TOPICS.news]: 0, [TOPICS.sensors]: 0 },
      },
    });
  });

  it.each([
    ["2024-03-05T14:43:00Z", "fresh", 60, "a minute after the newest bar ended"],
    ["2024-03-05T14:44:00Z", "fresh", 120, "two minutes after (the fresh limit)"],
    ["2024-03-05T14:46:00Z", "late", 240, "four minutes after"],
    ["2024-03-05T14:47:00Z", "late", 300, "five minutes after (the late limit)"],
    ["2024-03-05T14:47:01Z", "stale", 301, "a second beyond"],
    ["2024-03-05T23:00:00Z", "stale", 22_680, "after the close, most of the session missing"],
  ])("at %s the data is %s, %d s behind (%s)", async (now, freshness, behind) => {
    const status = await statusAt(seeded.db.pool, new Date(now));
    expect(status.freshness).toBe(freshness);
    expect(status.tickers.map((t) => t.behindSeconds)).toEqual([behind, behind]);
  });

  it("counts the dead letters of the hour up to now, by topic, every data topic listed", async () => {
    const pool = seeded.db.pool;
    await insertDeadLetter(pool, TOPICS.bars, 1, new Date(NOW.getTime() - 59 * 60_000));
    await insertDeadLetter(pool, TOPICS.bars, 2, new Date(NOW.getTime() - 60_000));
    await insertDeadLetter(pool, TOPICS.news, 3, NOW);
    await insertDeadLetter(pool, TOPICS.news, 4, new Date(NOW.getTime() - 60 * 60_000)); // an hour ago: out
    await insertDeadLetter(pool, TOPICS.sensors, 5, new Date(NOW.getTime() + 1_000)); // after now: out
    try {
      const status = await statusAt(pool, NOW);
      expect(status.deadLetters).toEqual({
        windowSeconds: 3_600,
        total: 3,
        byTopic: { [TOPICS.bars]: 2, [TOPICS.news]: 1, [TOPICS.sensors]: 0 },
      });
    } finally {
      await pool.query("DELETE FROM dead_letters");
    }
  });

  it("is listed in the OpenAPI document with its response schema", async () => {
    const document = (await seeded.app.inject({ method: "GET", url: "/openapi.json" })).json();
    const schema = document.paths["/v1/status"].get.responses["200"].content["application/json"].schema;
    expect(schema.properties).toHaveProperty("freshness");
    expect(schema.properties.freshness.enum).toEqual(["fresh", "late", "stale"]);
    expect(Object.keys(schema.properties.tickers.items.properties)).toEqual(
      expect.arrayContaining(["ticker", "lastBarStart", "lastBarEnd", "ageSeconds", "freshness"]),
    );
  });
});

describe("GET /v1/status while the exchange is closed", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    // AAPL has DAY_1 complete (its last bar 15:59-16:00), MSFT stops at 15:55; IBM last traded ten days before.
    await insertBar(db.pool, "AAPL", exchangeTime(DAY_1, 15, 59), 170, 170);
    await insertBar(db.pool, "MSFT", exchangeTime(DAY_1, 15, 54), 400, 400);
    await insertBar(db.pool, "IBM", exchangeTime("2024-02-23", 15, 59), 180, 180);
  });
  afterAll(async () => {
    await db?.close();
  });

  it("judges each ticker by how much of the last session's end it lacks, and leaves out tickers not seen for a week", async () => {
    const status = await statusAt(db.pool, exchangeTime(DAY_1, 20, 0));
    expect(status.market).toMatchObject({ open: false, sessionOpenedAt: null, elapsedSeconds: 0 });
    expect(status.market.previousClose).toBe(exchangeTime(DAY_1, 16, 0).toISOString());
    expect(status.market.nextOpen).toBe(exchangeTime(DAY_2, 9, 30).toISOString());
    expect(status.market.nextClose).toBe(exchangeTime(DAY_2, 16, 0).toISOString());
    expect(
      status.tickers.map(({ ticker, ageSeconds, behindSeconds, freshness }) => ({
        ticker,
        ageSeconds,
        behindSeconds,
        freshness,
      })),
    ).toEqual([
      { ticker: "AAPL", ageSeconds: 14_400, behindSeconds: 0, freshness: "fresh" },
      { ticker: "MSFT", ageSeconds: 14_700, behindSeconds: 300, freshness: "late" },
    ]);
    expect(status.freshness).toBe("late");
    expect(status.lastArticle).toBeNull();
  });

  it("is fresh over the weekend once Friday's session is complete", async () => {
    await insertBar(db.pool, "AAPL", exchangeTime("2024-03-08", 15, 59), 171, 171);
    await insertBar(db.pool, "MSFT", exchangeTime("2024-03-08", 15, 59), 401, 401);
    const status = await statusAt(db.pool, exchangeTime("2024-03-09", 12, 0));
    expect(status.market.open).toBe(false);
    expect(status.market.nextOpen).toBe(exchangeTime("2024-03-11", 9, 30).toISOString());
    expect(status.tickers.map((t) => [t.ticker, t.freshness])).toEqual([
      ["AAPL", "fresh"],
      ["MSFT", "fresh"],
    ]);
    expect(status.freshness).toBe("fresh");
  });

  it("is stale when no ticker has a bar in the last week", async () => {
    const status = await statusAt(db.pool, new Date("2024-04-01T15:00:00Z"));
    expect(status.tickers).toEqual([]);
    expect(status.freshness).toBe("stale");
  });
});
