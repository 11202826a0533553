import { afterEach, describe, expect, it } from "vitest";
import { validateMessage, TOPICS } from "@hdp/shared";
import { captureLogger } from "../../testing/capture-logger.js";
import { startStubServer, type StubHandler, type StubServer } from "../../testing/stub-http-server.js";
import { PolygonSource } from "./polygon-source.js";

const KEY = "pk-polygon-secret-abcdef";
const at = (iso: string) => Date.parse(iso);
const agg = (iso: string, price: number) => ({
  t: at(iso),
  o: price,
  h: price + 1,
  l: price - 1,
  c: price + 0.5,
  v: 1200.0,
  vw: price,
  n: 10,
});

let server: StubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function polygonStub(handler: StubHandler, callsPerMinute = 60_000) {
  server = await startStubServer(handler);
  const capture = captureLogger();
  const source = new PolygonSource({
    apiKey: KEY,
    baseUrl: server.baseUrl,
    callsPerMinute,
    timeoutMs: 2000,
    maxRetries: 3,
    minRetryDelayMs: 5,
    logger: capture.logger,
  });
  return { source, server, capture };
}

const day = { ticker: "AAPL", from: new Date("2024-03-05T00:00:00Z"), to: new Date("2024-03-06T00:00:00Z") };

describe("PolygonSource.fetchBars", () => {
  it("follows next_url after a 429, keeps session bars only, once each, and never logs the key", async () => {
    const { source, server, capture } = await polygonStub((req, i) => {
      if (i === 0) return { status: 429, headers: { "retry-after": "1" }, body: { status: "ERROR" } };
      if (!req.url.searchParams.has("cursor")) {
        return {
          body: {
            status: "OK",
            results: [
              agg("2024-03-05T14:00:00Z", 170),
              agg("2024-03-05T14:30:00Z", 171),
              agg("2024-03-05T14:31:00Z", 172),
            ],
            next_url: `${server?.baseUrl}${req.url.pathname}?cursor=page2`,
          },
        };
      }
      return {
        body: {
          status: "OK",
          results: [
            agg("2024-03-05T14:31:00Z", 172),
            agg("2024-03-05T14:32:00Z", 173),
            agg("2024-03-05T21:05:00Z", 174),
          ],
        },
      };
    });

    const bars = await source.fetchBars(day);

    expect(bars.map((b) => b.start)).toEqual([
      "2024-03-05T14:30:00.000Z",
      "2024-03-05T14:31:00.000Z",
      "2024-03-05T14:32:00.000Z",
    ]);
    expect(bars[0]).toEqual({
      ticker: "AAPL",
      start: "2024-03-05T14:30:00.000Z",
      open: 171,
      high: 172,
      low: 170,
      close: 171.5,
      volume: 1200,
      source: "polygon",
    });
    expect(server.requests).toHaveLength(3);
    const first = server.requests[0];
    expect(first?.url.pathname).toBe(
      `/v2/aggs/ticker/AAPL/range/1/minute/${day.from.getTime()}/${day.to.getTime() - 1}`,
    );
    expect(Object.fromEntries(first?.url.searchParams ?? [])).toEqual({
      adjusted: "true",
      sort: "asc",
      limit: "50000",
    });
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(server.requests.every((r) => !r.url.search.includes(KEY))).toBe(true);
    expect(capture.text()).toContain("retrying");
    expect(capture.text()).not.toContain(KEY);
    for (const bar of bars) expect(validateMessage(TOPICS.bars, bar).ok).toBe(true);
  });

  it("retries a 5xx answer", async () => {
    const { source, server } = await polygonStub((_req, i) =>
      i === 0 ? { status: 500 } : { body: { results: [agg("2024-03-05T15:00:00Z", 100)] } },
    );
    expect(await source.fetchBars(day)).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it("returns no bars when Polygon has no results", async () => {
    const { source } = await polygonStub(() => ({ body: { status: "OK", resultsCount: 0 } }));
    expect(await source.fetchBars(day)).toEqual([]);
  });
});

describe("PolygonSource.fetchNews", () => {
  const article = (id: string, published: string, extra: Record<string, unknown> = {}) => ({
    id,
    publisher: { name: "Benzinga", homepage_url: "https://www.benzinga.com/" },
    title: `Headline ${id}`,
    author: "Jane Doe",
    published_utc: published,
    article_url: `https://news.example.com/${id}`,
    tickers: ["AAPL"],
    image_url: "https://img.example.com/a.png",
    description: "Something happened.",
    keywords: ["tech"],
    ...extra,
  });

  it("pages through the news, maps the fields and drops duplicates", async () => {
    const { source, server } = await polygonStub((req) =>
      req.url.searchParams.get("cursor") === "p2"
        ? {
            body: { results: [article("a1", "2024-03-05T10:00:00Z"), article("a3", "2024-03-05T09:00:00Z")] },
          }
        : {
            body: {
              results: [
                article("a1", "2024-03-05T10:00:00Z"),
                article("a2", "2024-03-05T09:30:00Z", {
                  tickers: ["AAPL", "MSFT", "X:BTCUSD"],
                  author: null,
                  image_url: null,
                }),
              ],
              next_url: `${server?.baseUrl}/v2/reference/news?cursor=p2`,
            },
          },
    );

    const articles = await source.fetchNews(day);

    expect(articles.map((a) => a.id)).toEqual(["polygon-a1", "polygon-a2", "polygon-a3"]);
    expect(articles[0]).toEqual({
      id: "polygon-a1",
      publishedAt: "2024-03-05T10:00:00.000Z",
      title: "Headline a1",
      author: "Jane Doe",
      url: "https://news.example.com/a1",
      description: "Something happened.",
      publisher: "Benzinga",
      tickers: ["AAPL"],
      keywords: ["tech"],
      imageUrl: "https://img.example.com/a.png",
    });
    expect(articles[1]).toMatchObject({ tickers: ["AAPL", "MSFT"], author: null, imageUrl: null });
    const query = Object.fromEntries(server.requests[0]?.url.searchParams ?? []);
    expect(query).toEqual({
      ticker: "AAPL",
      "published_utc.gte": "2024-03-05T00:00:00.000Z",
      "published_utc.lte": "2024-03-06T00:00:00.000Z",
      order: "desc",
      limit: "1000",
    });
    for (const a of articles) expect(validateMessage(TOPICS.news, a).ok).toBe(true);
  });

  it("spaces its calls with the client-side rate limiter", async () => {
    let pages = 0;
    const { source, server } = await polygonStub(
      (req) => ({
        body: {
          results: [],
          ...(++pages < 4 ? { next_url: `${server?.baseUrl}${req.url.pathname}?cursor=${pages}` } : {}),
        },
      }),
      300, // one call every 200 ms
    );
    await source.fetchNews(day);
    const times = server.requests.map((r) => r.at);
    expect(times).toHaveLength(4);
    // The stub stamps arrival, not release: the first call also pays for the connection, so
    // single gaps carry tens of ms of noise on a busy machine. Without the limiter the four
    // calls take a few ms in all; with it they span three 200 ms intervals.
    expect((times[3] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(500);
    for (let i = 1; i < times.length; i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(100);
  });
});
