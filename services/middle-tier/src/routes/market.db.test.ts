import { gunzipSync } from "node:zlib";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { candlesResponseSchema, exchangeTime, tickerSummarySchema } from "@hdp/shared";
import { CACHE_CLOSED_DAY, CACHE_LIVE } from "../cache.js";
import { barsBetween, candlesJsonBetween } from "../data/bars.js";
import { BARS_PER_DAY, COMPLETE_DAY, DAY_1, DAY_2, buildTestApp, useSeededApp } from "../test-support.js";
import { CLOSED_DAY_TTL_MS } from "../closed-day-answers.js";
import { oneMinuteBarSchema } from "../compat/schemas.js";
import { toCandle } from "./candles.js";

const seeded = useSeededApp();

async function get(url: string) {
  return seeded.app.inject({ method: "GET", url });
}

describe("GET /v1/tickers", () => {
  it("lists each ticker with its last price and the change since the previous day's close", async () => {
    const response = await get("/v1/tickers");
    expect(response.statusCode).toBe(200);
    const tickers = z.array(tickerSummarySchema).parse(response.json());
    expect(tickers.map((t) => t.ticker)).toEqual(["AAPL", "MSFT"]);
    const aapl = tickers[0];
    const lastClose = 170 + 2 + (BARS_PER_DAY - 1) * 0.5;
    const previousClose = 170 + (BARS_PER_DAY - 1) * 0.5;
    expect(aapl).toMatchObject({ date: DAY_2, lastPrice: lastClose, previousClose });
    expect(aapl?.change).toBeCloseTo(lastClose - previousClose, 9);
    expect(aapl?.changePercent).toBeCloseTo(((lastClose - previousClose) / previousClose) * 100, 9);
  });
});

describe("GET /v1/tickers?date=", () => {
  it("answers each ticker as of the end of that day: its last price then and the change on that day", async () => {
    const tickers = z.array(tickerSummarySchema).parse((await get(`/v1/tickers?date=${DAY_1}`)).json());
    const aapl = tickers.find((t) => t.ticker === "AAPL");
    const lastClose = 170 + (BARS_PER_DAY - 1) * 0.5;
    const previousClose = 160 + 389 * 0.01; // COMPLETE_DAY's last close
    expect(aapl).toMatchObject({ date: DAY_1, lastPrice: lastClose });
    expect(aapl?.previousClose).toBeCloseTo(previousClose, 9);
    expect(aapl?.change).toBeCloseTo(lastClose - previousClose, 9);
  });

  it("leaves out the tickers without a bar up to then, and answers 400 for a bad date", async () => {
    expect((await get("/v1/tickers?date=2024-02-01")).json()).toEqual([]);
    const bad = await get("/v1/tickers?date=2024-3-4");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain("querystring.date");
  });
});

describe("GET /v1/candles", () => {
  it("answers the session's bars of a date, oldest first, with EMA9 from the ninth bar", async () => {
    const response = await get(`/v1/candles?ticker=AAPL&date=${DAY_1}`);
    expect(response.statusCode).toBe(200);
    const body = candlesResponseSchema.parse(response.json());
    expect(body.date).toBe(DAY_1);
    expect(body.candles).toHaveLength(BARS_PER_DAY);
    expect(body.candles[0]?.t).toBe(exchangeTime(DAY_1, 9, 30).toISOString());
    const times = body.candles.map((c) => c.t);
    expect([...times].sort()).toEqual(times);
    expect(body.candles.slice(0, 8).every((c) => c.ema9 === null)).toBe(true);
    expect(body.candles[8]?.ema9).toBeCloseTo(body.candles[8]!.close - 0.25, 9);
  });

  it("defaults to the latest trading day with data", async () => {
    const body = candlesResponseSchema.parse((await get("/v1/candles?ticker=MSFT")).json());
    expect(body.date).toBe(DAY_2);
    expect(body.candles).toHaveLength(BARS_PER_DAY);
  });

  it("accepts a lower-case ticker", async () => {
    const response = await get(`/v1/candles?ticker=aapl&date=${DAY_1}`);
    expect(response.json()).toMatchObject({ ticker: "AAPL" });
  });

  it("answers a from/to range across days, pre-market bars included", async () => {
    const response = await get(`/v1/candles?ticker=AAPL&from=${DAY_1}&to=${DAY_2}`);
    expect(response.statusCode).toBe(200);
    const body = candlesResponseSchema.parse(response.json());
    expect(body.date).toBeNull();
    expect(body.candles).toHaveLength(2 * (BARS_PER_DAY + 1));
  });

  it("lets caches keep a day that is over and complete, and revalidate today", async () => {
    expect((await get(`/v1/candles?ticker=AAPL&date=${COMPLETE_DAY}`)).headers["cache-control"]).toBe(
      CACHE_CLOSED_DAY,
    );
    expect((await get(`/v1/candles?ticker=AAPL&date=${DAY_2}`)).headers["cache-control"]).toBe(CACHE_LIVE);
  });

  it("asks to revalidate a day that is over while its stored bars stop short of its close", async () => {
    // DAY_1's bars end at 09:42: the rest of the session may still be on its way.
    const response = await get(`/v1/candles?ticker=AAPL&date=${DAY_1}`);
    expect(response.headers["cache-control"]).toBe(CACHE_LIVE);
    expect(response.headers.etag).toBeUndefined();
  });

  it("answers an empty list for a trading day without bars", async () => {
    const response = await get("/v1/candles?ticker=AAPL&date=2024-02-28");
    expect(response.statusCode).toBe(200);
    expect(candlesResponseSchema.parse(response.json()).candles).toEqual([]);
  });

  it.each([
    ["2024-03-09", "the exchange is closed on 2024-03-09 (weekend)"],
    ["2024-03-29", "the exchange is closed on 2024-03-29 (Good Friday)"],
    ["2024-03-06", "2024-03-06 is after today (2024-03-05): no bars yet"],
  ])("answers 404 saying why %s has no session", async (date, message) => {
    const response = await get(`/v1/candles?ticker=AAPL&date=${date}`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: "Not Found", message, statusCode: 404 });
  });

  it("answers 404 for an unknown ticker", async () => {
    const response = await get("/v1/candles?ticker=ZZZZ");
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ statusCode: 404, message: "unknown ticker ZZZZ" });
  });

  it.each([
    ["/v1/candles", "querystring.ticker"],
    ["/v1/candles?ticker=AAPL%3B", "querystring.ticker"],
    ["/v1/candles?ticker=AAPL&date=2024-13-01", "querystring.date"],
    ["/v1/candles?ticker=AAPL&date=yesterday", "querystring.date"],
    ["/v1/candles?ticker=AAPL&from=2024-03-04", "querystring.to"],
    ["/v1/candles?ticker=AAPL&to=2024-03-04", "querystring.from"],
    ["/v1/candles?ticker=AAPL&from=2024-03-05&to=2024-03-04", "querystring.to"],
    ["/v1/candles?ticker=AAPL&from=2024-01-01&to=2024-03-04", "querystring.to"],
    ["/v1/candles?ticker=AAPL&from=noon&to=2024-03-04", "querystring.from"],
    ["/v1/candles?ticker=AAPL&date=2024-03-04&from=2024-03-04&to=2024-03-05", "querystring.date"],
  ])("answers 400 naming the parameter for %s", async (url, parameter) => {
    const response = await get(url);
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(parameter);
  });

  it.each([
    ["ticker=AAPL%3B", "querystring.ticker: must be a ticker such as AAPL or BRK.B (letters and digits)"],
    ["ticker=AAPL&date=2024-02-30", "querystring.date: must be a date YYYY-MM-DD"],
    [
      "ticker=AAPL&date=1999-03-01",
      "querystring.date: must be a date from 2001 to 2099, the years of the exchange calendar",
    ],
    [
      "ticker=AAPL&date=2100-03-01",
      "querystring.date: must be a date from 2001 to 2099, the years of the exchange calendar",
    ],
  ])("answers ?%s with one message for the bad parameter", async (query, message) => {
    const response = await get(`/v1/candles?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: "Bad Request", message, statusCode: 400 });
  });
});

/** The routes that answer one session through the closed-day answer path, and how many bars an answer has. */
const DAY_ROUTES = [
  { route: "/v1/candles", bars: (body: unknown) => candlesResponseSchema.parse(body).candles.length },
  { route: "/marketData/oneMinute", bars: (body: unknown) => z.array(oneMinuteBarSchema).parse(body).length },
];

describe.each(DAY_ROUTES)("GET $route answers for closed sessions", ({ route, bars }) => {
  const changeVolumes = (days: string[], by: number) =>
    seeded.db.pool.query(
      "UPDATE bars SET volume = volume + $2 WHERE ticker = 'AAPL' AND start_at::date = ANY($1::date[])",
      [days, by],
    );

  it("are served again from memory with the same body, and today's never are", async () => {
    const first = await get(`${route}?ticker=AAPL&date=${COMPLETE_DAY}`);
    // A correction stored meanwhile shows only once the short cache time has passed.
    await changeVolumes([COMPLETE_DAY], 1);
    const second = await get(`${route}?ticker=AAPL&date=${COMPLETE_DAY}`);
    expect(second.body).toBe(first.body);
    expect(second.headers["cache-control"]).toBe(CACHE_CLOSED_DAY);
    expect(bars(second.json())).toBe(390);

    const today = await get(`${route}?ticker=AAPL&date=${DAY_2}`);
    await changeVolumes([DAY_2], 1);
    const todayAgain = await get(`${route}?ticker=AAPL&date=${DAY_2}`);
    expect(todayAgain.body).not.toBe(today.body);
    expect(todayAgain.headers["cache-control"]).toBe(CACHE_LIVE);
    await changeVolumes([COMPLETE_DAY, DAY_2], -1);
  });

  it("are kept for the cache time of the real clock, though the service clock stands still (a replay's before and after its session)", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const app = buildTestApp(seeded.db.pool); // its clock is pinned: it never moves
    try {
      const url = `${route}?ticker=MSFT&date=${COMPLETE_DAY}`;
      const first = await app.inject({ method: "GET", url });
      await seeded.db.pool.query(
        "UPDATE bars SET volume = volume + 1 WHERE ticker = 'MSFT' AND start_at::date = $1",
        [COMPLETE_DAY],
      );
      vi.advanceTimersByTime(CLOSED_DAY_TTL_MS - 1);
      expect((await app.inject({ method: "GET", url })).body).toBe(first.body);
      vi.advanceTimersByTime(1);
      expect((await app.inject({ method: "GET", url })).body).not.toBe(first.body);
    } finally {
      vi.useRealTimers();
      await app.close();
      await seeded.db.pool.query(
        "UPDATE bars SET volume = volume - 1 WHERE ticker = 'MSFT' AND start_at::date = $1",
        [COMPLETE_DAY],
      );
    }
  });
});

describe.each(DAY_ROUTES)("GET $route answers kept for closed sessions", ({ route }) => {
  const url = `${route}?ticker=MSFT&date=${COMPLETE_DAY}`;

  it("are byte for byte what the route answers without the cache", async () => {
    const fresh = buildTestApp(seeded.db.pool);
    try {
      const uncached = await fresh.inject({ method: "GET", url });
      const cached = await get(url);
      const again = await get(url);
      expect(uncached.rawPayload.length).toBeGreaterThan(0);
      expect(cached.rawPayload.equals(uncached.rawPayload)).toBe(true);
      expect(again.rawPayload.equals(uncached.rawPayload)).toBe(true);
      expect(again.headers["content-type"]).toBe(uncached.headers["content-type"]);
      expect(again.headers.etag).toBe(uncached.headers.etag);
    } finally {
      await fresh.close();
    }
  });

  it("carry an entity tag, and a request naming it is answered 304 without a body", async () => {
    const first = await get(url);
    expect(first.headers.etag).toMatch(/^W\/".+"$/);
    const revalidated = await seeded.app.inject({
      method: "GET",
      url,
      headers: { "if-none-match": String(first.headers.etag) },
    });
    expect(revalidated.statusCode).toBe(304);
    expect(revalidated.body).toBe("");
    expect(revalidated.headers.etag).toBe(first.headers.etag);
    expect(revalidated.headers["cache-control"]).toBe(CACHE_CLOSED_DAY);
    const stale = await seeded.app.inject({ method: "GET", url, headers: { "if-none-match": 'W/"other"' } });
    expect(stale.statusCode).toBe(200);
  });

  it("are sent gzipped to a client that takes gzip, decoding to the same bytes", async () => {
    const plain = await get(url);
    const zipped = await seeded.app.inject({
      method: "GET",
      url,
      headers: { "accept-encoding": "gzip, deflate, br" },
    });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.headers.vary).toContain("accept-encoding");
    expect(gunzipSync(zipped.rawPayload).equals(plain.rawPayload)).toBe(true);
  });
});

describe("candlesJsonBetween", () => {
  it("writes the candles of barsBetween's rows as JSON, oldest first, instants as the API writes them", async () => {
    const from = exchangeTime(DAY_1, 0, 0);
    const to = exchangeTime(DAY_2, 23, 0);
    const rows = await barsBetween(seeded.db.pool, "AAPL", from, to);
    expect(rows.length).toBeGreaterThan(BARS_PER_DAY);
    const { json, lastBarStart } = await candlesJsonBetween(seeded.db.pool, "AAPL", from, to);
    expect(JSON.parse(json)).toEqual(rows.map(toCandle));
    expect(lastBarStart).toEqual(rows.at(-1)?.startAt);
    expect(await candlesJsonBetween(seeded.db.pool, "AAPL", to, new Date(to.getTime() + 60_000))).toEqual({
      json: "[]",
      lastBarStart: undefined,
    });
  });
});
