import { afterEach, describe, expect, it } from "vitest";
import { UpstreamError, TOPICS, validateMessage } from "@hdp/shared";
import { captureLogger } from "../../testing/capture-logger.js";
import { startStubServer, type StubHandler, type StubServer } from "../../testing/stub-http-server.js";
import { FinnhubSource } from "./finnhub-source.js";

const KEY = "fh-secret-token-987654";

let server: StubServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function finnhubStub(handler: StubHandler, plan: "free" | "paid", clock?: () => Date) {
  server = await startStubServer(handler);
  const capture = captureLogger();
  const source = new FinnhubSource({
    apiKey: KEY,
    baseUrl: server.baseUrl,
    plan,
    timeoutMs: 2000,
    maxRetries: 3,
    minRetryDelayMs: 5,
    logger: capture.logger,
    ...(clock ? { clock } : {}),
  });
  return { source, server, capture };
}

const s = (iso: string) => Date.parse(iso) / 1000;
const window = {
  ticker: "AAPL",
  from: new Date("2024-03-05T14:30:00Z"),
  to: new Date("2024-03-05T14:33:00Z"),
};

describe("FinnhubSource on a paid plan", () => {
  it("reads one-minute candles, keeps the session and the range, and sends the key as a header", async () => {
    const { source, server, capture } = await finnhubStub(
      () => ({
        body: {
          s: "ok",
          t: [s("2024-03-05T14:29:00Z"), s("2024-03-05T14:30:00Z"), s("2024-03-05T14:31:00Z")],
          o: [1, 170, 171],
          h: [1, 171, 172],
          l: [1, 169, 170],
          c: [1, 170.5, 171.5],
          v: [5, 1000, 2000],
        },
      }),
      "paid",
    );
    const bars = await source.fetchBars(window);
    expect(bars).toEqual([
      {
        ticker: "AAPL",
        start: "2024-03-05T14:30:00.000Z",
        open: 170,
        high: 171,
        low: 169,
        close: 170.5,
        volume: 1000,
        source: "finnhub",
      },
      {
        ticker: "AAPL",
        start: "2024-03-05T14:31:00.000Z",
        open: 171,
        high: 172,
        low: 170,
        close: 171.5,
        volume: 2000,
        source: "finnhub",
      },
    ]);
    const request = server.requests[0];
    expect(request?.url.pathname).toBe("/api/v1/stock/candle");
    expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual({
      symbol: "AAPL",
      resolution: "1",
      from: String(s("2024-03-05T14:30:00Z")),
      to: String(s("2024-03-05T14:33:00Z")),
    });
    expect(request?.headers["x-finnhub-token"]).toBe(KEY);
    expect(capture.text()).not.toContain(KEY);
  });

  it("explains a 403 on candles: set FINNHUB_PLAN=free; not retried", async () => {
    const { source, server } = await finnhubStub(
      () => ({ status: 403, body: { error: "You don't have access to this resource." } }),
      "paid",
    );
    const error = await source.fetchBars(window).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ retriable: false, status: 403 });
    expect((error as Error).message).toMatch(/FINNHUB_PLAN=free/);
    expect((error as Error).message).toMatch(/You don't have access to this resource/);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a 5xx answer", async () => {
    const { source, server } = await finnhubStub(
      (_req, i) => (i < 2 ? { status: 503 } : { body: { s: "no_data" } }),
      "paid",
    );
    expect(await source.fetchBars(window)).toEqual([]);
    expect(server.requests).toHaveLength(3);
  });
});

describe("FinnhubSource on the free plan", () => {
  it("builds bars from successive quotes, handing out each completed minute once", async () => {
    const prices = [170, 172, 169, 171, 173];
    const times = ["14:30:05", "14:30:20", "14:30:40", "14:30:55", "14:31:05"].map(
      (t) => new Date(`2024-03-05T${t}Z`),
    );
    let tick = 0;
    const { source } = await finnhubStub(
      (_req, i) => ({ body: { c: prices[i], h: 175, l: 160, o: 165, pc: 164, t: 1_709_649_000 } }),
      "free",
      () => times[Math.min(tick, times.length - 1)] ?? new Date(0),
    );
    const results = [];
    for (tick = 0; tick < times.length; tick++) results.push(await source.fetchBars(window));
    expect(results.slice(0, 4).flat()).toEqual([]);
    expect(results[4]).toEqual([
      {
        ticker: "AAPL",
        start: "2024-03-05T14:30:00.000Z",
        open: 170,
        high: 172,
        low: 169,
        close: 171,
        volume: 0,
        source: "finnhub",
      },
    ]);
  });

  it("refuses an all-zero quote (Finnhub's answer for an unknown symbol)", async () => {
    const { source } = await finnhubStub(
      () => ({ body: { c: 0, d: null, dp: null, h: 0, l: 0, o: 0, pc: 0, t: 0 } }),
      "free",
    );
    await expect(source.fetchBars({ ...window, ticker: "NOPE" })).rejects.toThrow(/no quote for NOPE/);
  });
});

describe("FinnhubSource.fetchNews", () => {
  it("maps company news, lists related tickers and keeps the range", async () => {
    const item = (id: number, iso: string, related: string) => ({
      category: "company",
      datetime: s(iso),
      headline: `Headline ${id}`,
      id,
      image: "",
      related,
      source: "Reuters",
      summary: "Summary text.",
      url: `https://news.example.com/${id}`,
    });
    const { source, server } = await finnhubStub(
      () => ({
        body: [
          item(1, "2024-03-05T15:00:00Z", "AAPL"),
          item(2, "2024-03-05T14:31:00Z", "AAPL,MSFT"),
          item(3, "2024-03-04T12:00:00Z", "AAPL"),
        ],
      }),
      "free",
    );
    const range = {
      ticker: "AAPL",
      from: new Date("2024-03-05T00:00:00Z"),
      to: new Date("2024-03-06T00:00:00Z"),
    };
    const articles = await source.fetchNews(range);
    expect(articles.map((a) => a.id)).toEqual(["finnhub-1", "finnhub-2"]);
    expect(articles[0]).toEqual({
      id: "finnhub-1",
      publishedAt: "2024-03-05T15:00:00.000Z",
      title: "Headline 1",
      author: null,
      url: "https://news.example.com/1",
      description: "Summary text.",
      publisher: "Reuters",
      tickers: ["AAPL"],
      keywords: [],
      imageUrl: null,
    });
    expect(articles[1]?.tickers).toEqual(["AAPL", "MSFT"]);
    expect(Object.fromEntries(server.requests[0]?.url.searchParams ?? [])).toEqual({
      symbol: "AAPL",
      from: "2024-03-05",
      to: "2024-03-05",
    });
    for (const a of articles) expect(validateMessage(TOPICS.news, a).ok).toBe(true);
  });
});
