import { describe, expect, it } from "vitest";
import { newsPageSchema, type NewsItem } from "@hdp/shared";
import { AAPL_ARTICLES, DAY_2, useSeededApp } from "../test-support.js";

const seeded = useSeededApp();

async function page(query: string) {
  const response = await seeded.app.inject({ method: "GET", url: `/v1/news?${query}` });
  expect(response.statusCode).toBe(200);
  return newsPageSchema.parse(response.json());
}

describe("GET /v1/news", () => {
  it("answers articles newest first, each with its sentiment for the ticker", async () => {
    const body = await page("ticker=AAPL&limit=5");
    expect(body.items).toHaveLength(5);
    const times = body.items.map((item) => item.publishedAt);
    expect([...times].sort().reverse()).toEqual(times);
    expect(body.items[0]).toMatchObject({
      id: "a-00",
      tickers: ["AAPL", "MSFT"],
      sentiment: { score: -0.6, label: "negative", model: "fake@1" },
    });
    expect(body.items[1]?.sentiment).toBeNull();
  });

  it("walks every article once, without gaps or repeats, through the cursor", async () => {
    const seen: NewsItem[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const body: { items: NewsItem[]; nextCursor: string | null } = await page(
        `ticker=AAPL&limit=4${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...body.items);
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 20);
    expect(pages).toBe(Math.ceil(AAPL_ARTICLES / 4));
    const ids = seen.map((item) => item.id);
    expect(new Set(ids).size).toBe(AAPL_ARTICLES);
    expect(ids).toEqual((await page(`ticker=AAPL&limit=100`)).items.map((item) => item.id));
  });

  it("keeps apart two articles published at the same instant across a page boundary", async () => {
    const first = await page("ticker=AAPL&limit=4");
    expect(first.items.at(-1)?.id).toBe("a-04");
    const second = await page(`ticker=AAPL&limit=4&cursor=${first.nextCursor}`);
    expect(second.items[0]?.id).toBe("a-03");
    expect(second.items[0]?.publishedAt).toBe(first.items.at(-1)?.publishedAt);
  });

  it("gives the sentiment scored for the ticker asked about", async () => {
    const body = await page("ticker=MSFT");
    expect(body.items.map((item) => item.id)).toEqual(["a-00", "a-05", "a-10", "a-15", "a-20"]);
    expect(body.items.every((item) => item.sentiment !== null)).toBe(true);
  });

  it("limits articles to the from/to window", async () => {
    const body = await page(`ticker=AAPL&from=${DAY_2}&to=${DAY_2}&limit=100`);
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.length).toBeLessThan(AAPL_ARTICLES);
    expect(body.items.every((item) => item.publishedAt >= "2024-03-05T05:00:00.000Z")).toBe(true);
    expect(body.nextCursor).toBeNull();
  });

  it("answers 404 for an unknown ticker", async () => {
    const response = await seeded.app.inject({ method: "GET", url: "/v1/news?ticker=NOPE" });
    expect(response.statusCode).toBe(404);
  });

  it.each([
    ["ticker=AAPL&limit=0", "querystring.limit"],
    ["ticker=AAPL&limit=101", "querystring.limit"],
    ["ticker=AAPL&limit=ten", "querystring.limit"],
    ["ticker=AAPL&cursor=not-a-cursor", "querystring.cursor"],
    ["ticker=AAPL&from=someday", "querystring.from"],
    ["limit=5", "querystring.ticker"],
  ])("answers 400 naming the parameter for %s", async (query, parameter) => {
    const response = await seeded.app.inject({ method: "GET", url: `/v1/news?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toContain(parameter);
  });

  it.each(["0", "101", "ten", "1.5", "99999999999999999999"])(
    "answers limit=%s with one message saying the range",
    async (limit) => {
      const response = await seeded.app.inject({ method: "GET", url: `/v1/news?ticker=AAPL&limit=${limit}` });
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toBe("querystring.limit: must be a whole number from 1 to 100");
    },
  );
});
