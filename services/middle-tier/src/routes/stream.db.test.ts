import { describe, expect, it } from "vitest";
import { createLogger, exchangeTime, streamBarEventSchema, streamNewsEventSchema } from "@hdp/shared";
import { buildApp } from "../app.js";
import { StreamHub } from "../stream/hub.js";
import { DAY_2, useSeededApp } from "../test-support.js";

let baseUrl: string;
const logger = createLogger({ service: "middle-tier-test", level: "silent" });
// This suite follows the stream over a real socket, polling fast.
const seeded = useSeededApp(async (pool) => {
  const app = buildApp({ config: { corsOrigins: [] }, logger, pool, streamPollMs: 50 });
  baseUrl = await app.listen({ port: 0, host: "127.0.0.1" });
  return app;
});

/** Reads SSE text from `url` until `done` holds for what has arrived, then disconnects. */
async function readStream(url: string, onOpen: () => Promise<void>, done: (text: string) => boolean) {
  const controller = new AbortController();
  const response = await fetch(url, { signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  let opened = false;
  const deadline = Date.now() + 15_000;
  while (!done(text) && Date.now() < deadline) {
    const { value, done: ended } = await reader.read();
    if (ended) break;
    text += value;
    if (!opened && text.includes(": following")) {
      opened = true;
      await onOpen();
    }
  }
  controller.abort();
  return text;
}

function events(text: string, name: string): unknown[] {
  return text
    .split("\n\n")
    .filter((block) => block.startsWith(`event: ${name}\n`))
    .map((block) => JSON.parse(block.slice(block.indexOf("data: ") + 6)));
}

describe("GET /v1/stream", () => {
  it("delivers a bar and a scored article stored after the client connected", async () => {
    const barAt = exchangeTime(DAY_2, 10, 0);
    const text = await readStream(
      `${baseUrl}/v1/stream?ticker=AAPL`,
      async () => {
        await seeded.db.pool.query(
          `INSERT INTO bars (ticker, start_at, open, high, low, close, volume, source, ema9)
           VALUES ('AAPL', $1, 180, 181, 179, 180.5, 500, 'test', 180.1)`,
          [barAt],
        );
        await seeded.db.pool.query(
          `INSERT INTO articles (id, published_at, title, url, publisher, tickers, keywords)
           VALUES ('live-1', $1, 'Live headline', 'https://news.example/live-1', 'Wire', '{AAPL}', '{}')`,
          [barAt],
        );
        await seeded.db.pool.query("INSERT INTO article_tickers VALUES ('live-1', 'AAPL', $1)", [barAt]);
        await seeded.db.pool.query(
          "INSERT INTO sentiments VALUES ('live-1', 'AAPL', 0.8, 'positive', 'fake@1', now() + interval '1 day')",
        );
      },
      (received) => received.includes("event: bar") && received.includes("event: news"),
    );
    const bars = events(text, "bar").map((data) => streamBarEventSchema.parse(data));
    expect(bars).toEqual([
      {
        ticker: "AAPL",
        t: barAt.toISOString(),
        open: 180,
        high: 181,
        low: 179,
        close: 180.5,
        volume: 500,
        ema9: 180.1,
      },
    ]);
    const news = events(text, "news").map((data) => streamNewsEventSchema.parse(data));
    expect(news.map((item) => [item.id, item.sentiment?.label])).toEqual([["live-1", "positive"]]);
  });

  it("answers 404 for an unknown ticker and 400 for a malformed one", async () => {
    expect((await seeded.app.inject({ method: "GET", url: "/v1/stream?ticker=ZZZZ" })).statusCode).toBe(404);
    const malformed = await seeded.app.inject({ method: "GET", url: "/v1/stream?ticker=%24%24" });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().message).toContain("querystring.ticker");
  });
});

describe("StreamHub", () => {
  it("shares one poller per ticker and stops it with the last client", async () => {
    const hub = new StreamHub({ pool: seeded.db.pool, logger, pollMs: 50 });
    const first = await hub.subscribe("MSFT", () => {});
    const second = await hub.subscribe("MSFT", () => {});
    expect(hub.activeTickers()).toEqual(["MSFT"]);
    first();
    expect(hub.activeTickers()).toEqual(["MSFT"]);
    second();
    expect(hub.activeTickers()).toEqual([]);
    hub.close();
  });
});
