import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { exchangeTime } from "@hdp/shared";
import { CACHE_CLOSED_DAY, CACHE_LIVE } from "../cache.js";
import { BARS_PER_DAY, COMPLETE_DAY, DAY_1, DAY_2, useSeededApp } from "../test-support.js";
import {
  NOT_FOUND_DETAIL,
  newsDescriptionSchema,
  oneMinuteBarSchema,
  validationErrorSchema,
} from "./schemas.js";

/** The original API's answers to requests on the seeded data, held as fixtures. */
const FIXTURES = z
  .object({
    cases: z.array(z.object({ request: z.string(), status: z.number().int(), body: z.unknown() })),
  })
  .parse(JSON.parse(readFileSync(new URL("./fixtures/original-api.json", import.meta.url), "utf8"))).cases;

const seeded = useSeededApp();

async function get(url: string) {
  return seeded.app.inject({ method: "GET", url });
}

describe("GET /marketData/oneMinute (original API)", () => {
  it("answers the session's bars with the original field names and exchange-local datetimes", async () => {
    const response = await get(`/marketData/oneMinute?ticker=AAPL&date=${DAY_1}`);
    expect(response.statusCode).toBe(200);
    const bars = z.array(oneMinuteBarSchema.strict()).parse(response.json());
    expect(bars).toHaveLength(BARS_PER_DAY);
    expect(Object.keys(bars[0] ?? {}).sort()).toEqual(
      ["EMA9", "close", "datetime", "high", "low", "open", "ticker", "volume"].sort(),
    );
    expect(bars[0]).toEqual({
      ticker: "AAPL",
      open: 169.9,
      high: 170.3,
      low: 169.7,
      close: 170,
      volume: 1000,
      datetime: "2024-03-04T09:30:00",
      EMA9: null,
    });
    expect(bars[BARS_PER_DAY - 1]?.datetime).toBe("2024-03-04T09:41:00");
    expect(bars[8]?.EMA9).toBeCloseTo(174 - 0.25, 9);
  });

  it("lets caches keep a day that is over and complete, and revalidate one whose bars stop short", async () => {
    const complete = await get(`/marketData/oneMinute?ticker=AAPL&date=${COMPLETE_DAY}`);
    expect(complete.headers["cache-control"]).toBe(CACHE_CLOSED_DAY);
    const short = await get(`/marketData/oneMinute?ticker=AAPL&date=${DAY_1}`);
    expect(short.headers["cache-control"]).toBe(CACHE_LIVE);
  });

  it("defaults to the latest day with data", async () => {
    const bars = z.array(oneMinuteBarSchema).parse((await get("/marketData/oneMinute?ticker=MSFT")).json());
    expect(bars[0]?.datetime).toBe(`${DAY_2}T09:30:00`);
  });

  it.each([
    ["an unknown ticker", "ticker=ZZZZ"],
    ["a Saturday", "ticker=AAPL&date=2024-03-09"],
    ["a holiday", "ticker=AAPL&date=2024-03-29"],
    ["a trading day without bars", "ticker=AAPL&date=2024-02-28"],
  ])("answers 404 with the original text for %s", async (_case, query) => {
    const response = await get(`/marketData/oneMinute?${query}`);
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ detail: NOT_FOUND_DETAIL });
  });

  it('answers 422 {"detail": [...]} naming a malformed date, as FastAPI does', async () => {
    const response = await get("/marketData/oneMinute?ticker=AAPL&date=03/04/2024");
    expect(response.statusCode).toBe(422);
    expect(validationErrorSchema.parse(response.json()).detail).toEqual([
      {
        type: "date_parsing",
        loc: ["query", "date"],
        msg: "Input should be a valid date in the format YYYY-MM-DD",
        input: "03/04/2024",
      },
    ]);
  });

  it("spells numbers as JSON.stringify does where PostgreSQL would write an exponent", async () => {
    // Below 1e-4 and from 1e15 PostgreSQL writes 5e-05 and 2e+15; JSON.stringify writes 0.00005 and 2000000000000000.
    const bars = [
      { open: 0.00004, high: 0.00006, low: 0.000035, close: 0.00005, volume: 7, EMA9: 1.5e-7 },
      { open: 2e15, high: 1.25e21, low: 1e15, close: 1.5e15, volume: 2 ** 40, EMA9: 0.1 + 0.2 },
    ];
    for (const [i, bar] of bars.entries()) {
      await seeded.db.pool.query(
        `INSERT INTO bars (ticker, start_at, open, high, low, close, volume, source, ema9)
         VALUES ('TINY', $1, $2, $3, $4, $5, $6, 'test', $7)`,
        [exchangeTime(DAY_1, 9, 30 + i), bar.open, bar.high, bar.low, bar.close, bar.volume, bar.EMA9],
      );
    }
    const response = await get(`/marketData/oneMinute?ticker=TINY&date=${DAY_1}`);
    expect(response.body).toBe(
      JSON.stringify(
        bars.map(({ open, high, low, close, volume, EMA9 }, i) => ({
          ticker: "TINY",
          high,
          low,
          open,
          close,
          volume,
          datetime: `${DAY_1}T09:3${i}:00`,
          EMA9,
        })),
      ),
    );
  });
});

describe("GET /news/description (original API)", () => {
  it("answers scored news newest first in the original nested shape", async () => {
    const response = await get(`/news/description?ticker=AAPL&day=${DAY_2}`);
    expect(response.statusCode).toBe(200);
    const items = z.array(newsDescriptionSchema.strict()).parse(response.json());
    expect(items).toHaveLength(10);
    const first = items[0];
    expect(first?.news_sentiment).toEqual({
      ticker: "AAPL",
      compound_influence_score: -0.6,
      sentiment_score: "Negative",
    });
    expect(Object.keys(first?.news_sentiment_description ?? {}).sort()).toEqual(
      [
        "article_url",
        "author",
        "datetime",
        "description",
        "id",
        "image_url",
        "keywords",
        "publisher",
        "tickers",
        "title",
      ].sort(),
    );
    expect(first?.news_sentiment_description).toMatchObject({
      id: "a-00",
      article_url: "https://news.example/a-00",
      tickers: ["AAPL", "MSFT"],
      keywords: ["markets"],
      datetime: "2024-03-05T09:40:00",
      image_url: "https://img.example/a-00.png",
    });
    const datetimes = items.map((item) => item.news_sentiment_description.datetime);
    expect([...datetimes].sort().reverse()).toEqual(datetimes);
  });

  it("cuts a description longer than 256 characters to 250 followed by ..., and sends a short one whole", async () => {
    const items = z
      .array(newsDescriptionSchema)
      .parse((await get(`/news/description?ticker=AAPL&day=${DAY_2}&limit=2`)).json());
    expect(items.map((item) => item.news_sentiment_description.description)).toEqual([
      `${"x".repeat(250)}...`,
      "Short description 2",
    ]);
  });

  it("spells the labels Negative, Neutral and Positive", async () => {
    const items = z
      .array(newsDescriptionSchema)
      .parse((await get(`/news/description?ticker=AAPL&day=${DAY_2}&limit=6`)).json());
    expect(new Set(items.map((item) => item.news_sentiment.sentiment_score))).toEqual(
      new Set(["Negative", "Neutral", "Positive"]),
    );
  });

  it("leaves out articles not yet scored", async () => {
    const items = z
      .array(newsDescriptionSchema)
      .parse((await get(`/news/description?ticker=AAPL&day=${DAY_2}&limit=100`)).json());
    expect(items.map((item) => item.news_sentiment_description.id)).not.toContain("a-01");
  });

  it("pages with limit and skip without gaps or repeats", async () => {
    const all = z
      .array(newsDescriptionSchema)
      .parse((await get(`/news/description?ticker=AAPL&day=${DAY_2}&limit=100`)).json())
      .map((item) => item.news_sentiment_description.id);
    const paged: string[] = [];
    for (let skip = 0; skip < all.length; skip += 7) {
      const items = z
        .array(newsDescriptionSchema)
        .parse((await get(`/news/description?ticker=AAPL&day=${DAY_2}&limit=7&skip=${skip}`)).json());
      paged.push(...items.map((item) => item.news_sentiment_description.id));
    }
    expect(paged).toEqual(all);
  });

  it("covers only the four calendar days up to day", async () => {
    const response = await get(`/news/description?ticker=AAPL&day=${DAY_1}&limit=100`);
    const items = z.array(newsDescriptionSchema).parse(response.json());
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((item) => item.news_sentiment_description.datetime < `${DAY_2}T00:00:00`)).toBe(true);
  });

  it("answers 404 with the original text when nothing matches", async () => {
    for (const url of [
      "/news/description?ticker=ZZZZ&day=2024-03-05",
      "/news/description?ticker=AAPL&day=2024-02-01",
    ]) {
      const response = await get(url);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: NOT_FOUND_DETAIL });
    }
  });

  it.each([
    ["ticker=AAPL&limit=0", "limit", "greater_than_equal"],
    ["ticker=AAPL&limit=101", "limit", "less_than_equal"],
    ["ticker=AAPL&limit=99999999999999999999", "limit", "less_than_equal"],
    ["ticker=AAPL&skip=-1", "skip", "greater_than_equal"],
    ["ticker=AAPL&skip=ten", "skip", "int_parsing"],
    ["ticker=AAPL&day=tomorrow", "day", "date_parsing"],
    ["day=2024-03-05", "ticker", "missing"],
  ])("answers ?%s 422 with one item for %s, of type %s", async (query, parameter, type) => {
    const response = await get(`/news/description?${query}`);
    expect(response.statusCode).toBe(422);
    const { detail } = validationErrorSchema.parse(response.json());
    expect(detail.map((item) => [item.loc, item.type])).toEqual([[["query", parameter], type]]);
  });
});

describe("the compatibility routes against the original API's fixtures", () => {
  it.each(FIXTURES.map((fixture) => [fixture.request, fixture] as const))(
    "GET %s answers as the original",
    async (_request, fixture) => {
      const response = await get(fixture.request);
      expect(response.statusCode).toBe(fixture.status);
      expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(response.json()).toEqual(fixture.body);
    },
  );
});
