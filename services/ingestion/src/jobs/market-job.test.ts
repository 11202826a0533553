import { describe, expect, it } from "vitest";
import { MemoryBus, TOPICS, UpstreamError, type Bar } from "@hdp/shared";
import { captureLogger } from "../testing/capture-logger.js";
import { ReplaySource } from "../sources/replay/replay-source.js";
import type { MarketSource } from "../sources/types.js";
import type { JobContext } from "./context.js";
import { marketWindow, runMarketOnce } from "./market-job.js";
import { PublishedGuard } from "./published-guard.js";

const TICKERS = ["AAL", "AAPL", "AMD", "MSFT", "TSLA"];

async function setup(market: MarketSource = new ReplaySource("hdp")) {
  const bus = new MemoryBus();
  const capture = captureLogger();
  const context: JobContext = {
    logger: capture.logger,
    producer: await bus.producer(),
    tickers: TICKERS,
    market,
    news: new ReplaySource("hdp"),
    guard: new PublishedGuard(),
  };
  return { bus, context, capture };
}

describe("marketWindow", () => {
  it.each([
    [
      "2024-03-05T15:00:20Z",
      1,
      "2024-03-05T14:59:00.000Z",
      "2024-03-05T15:00:00.000Z",
      "the previous minute",
    ],
    [
      "2024-03-05T14:31:00Z",
      1,
      "2024-03-05T14:30:00.000Z",
      "2024-03-05T14:31:00.000Z",
      "the first minute, once done",
    ],
    [
      "2024-03-05T21:00:30Z",
      1,
      "2024-03-05T20:59:00.000Z",
      "2024-03-05T21:00:00.000Z",
      "the last minute, after the close",
    ],
    [
      "2024-03-05T14:32:10Z",
      5,
      "2024-03-05T14:30:00.000Z",
      "2024-03-05T14:32:00.000Z",
      "several minutes clipped at the open",
    ],
    [
      "2024-07-03T17:00:30Z",
      1,
      "2024-07-03T16:59:00.000Z",
      "2024-07-03T17:00:00.000Z",
      "the last minute of an early close",
    ],
  ])("at %s (minutes=%i) covers %s to %s: %s", (now, minutes, from, to) => {
    const window = marketWindow(new Date(now), minutes);
    expect(window).toEqual({ open: true, date: now.slice(0, 10), from: new Date(from), to: new Date(to) });
  });

  it.each([
    ["2024-03-05T14:30:30Z", /outside regular hours/, "09:30:30, no minute completed yet"],
    ["2024-03-05T13:00:00Z", /outside regular hours/, "08:00, before the open"],
    ["2024-03-05T21:01:30Z", /outside regular hours/, "16:01:30, after the close"],
    ["2024-07-03T17:01:30Z", /13:00 \(early close\)/, "after an early close"],
    ["2024-03-29T15:00:00Z", /2024-03-29 is not a trading day \(Good Friday\)/, "Good Friday"],
    ["2024-03-30T15:00:00Z", /not a trading day \(weekend\)/, "a Saturday"],
  ])("at %s has nothing to do (%s)", (now, reason) => {
    const window = marketWindow(new Date(now));
    expect(window.open).toBe(false);
    if (!window.open) expect(window.reason).toMatch(reason);
  });
});

describe("runMarketOnce", () => {
  const now = new Date("2024-03-05T15:00:20Z");

  it("publishes the previous minute's bar of every ticker, keyed by ticker", async () => {
    const { bus, context } = await setup();
    const result = await runMarketOnce(context, { now });
    expect(result).toMatchObject({ status: "ran", published: 5, rejected: 0, failures: [] });
    const messages = bus.messages(TOPICS.bars);
    expect(messages.map((m) => m.key)).toEqual(TICKERS);
    for (const m of messages) {
      expect(JSON.parse(m.value?.toString() ?? "{}")).toMatchObject({
        start: "2024-03-05T14:59:00.000Z",
        source: "replay",
      });
    }
  });

  it("publishes nothing new when the same minute runs again", async () => {
    const { bus, context } = await setup();
    await runMarketOnce(context, { now });
    const again = await runMarketOnce(context, { now });
    expect(again).toMatchObject({ status: "ran", published: 0 });
    expect(bus.messages(TOPICS.bars)).toHaveLength(5);
    await runMarketOnce(context, { now: new Date(now.getTime() + 60_000) });
    expect(bus.messages(TOPICS.bars)).toHaveLength(10);
  });

  it.each([
    ["2024-03-05T13:00:00Z", "before the open"],
    ["2024-03-29T15:00:20Z", "on Good Friday"],
    ["2025-01-09T15:00:20Z", "on the Carter day of mourning"],
  ])("does nothing at %s (%s) and logs why", async (at) => {
    const { bus, context, capture } = await setup();
    const result = await runMarketOnce(context, { now: new Date(at) });
    expect(result.status).toBe("skipped");
    expect(bus.messages(TOPICS.bars)).toHaveLength(0);
    expect(capture.text()).toContain("market: nothing to do");
  });

  it("goes on with the other tickers when one fails, and reports it", async () => {
    const replay = new ReplaySource("hdp");
    const flaky: MarketSource = {
      name: "flaky",
      fetchBars: async (request) => {
        if (request.ticker === "AMD")
          throw new UpstreamError("provider down", { retriable: true, status: 503 });
        return replay.fetchBars(request);
      },
    };
    const { bus, context, capture } = await setup(flaky);
    const result = await runMarketOnce(context, { now });
    expect(result.status === "ran" && result.failures.map((f) => f.ticker)).toEqual(["AMD"]);
    expect(bus.messages(TOPICS.bars).map((m) => m.key)).toEqual(["AAL", "AAPL", "MSFT", "TSLA"]);
    expect(capture.text()).toContain("market: AMD failed: provider down");
  });

  it("refuses a bar that breaks the contract and publishes the rest", async () => {
    const broken: Bar = {
      ticker: "AAPL",
      start: "2024-03-05T14:59:00.000Z",
      open: 10,
      high: 9,
      low: 11,
      close: 10,
      volume: 1,
      source: "stub",
    };
    const good: Bar = { ...broken, ticker: "MSFT", high: 11, low: 9 };
    const market: MarketSource = {
      name: "stub",
      fetchBars: async ({ ticker }) => (ticker === "AAPL" ? [broken] : ticker === "MSFT" ? [good] : []),
    };
    const { bus, context, capture } = await setup(market);
    const result = await runMarketOnce(context, { now });
    expect(result).toMatchObject({ published: 1, rejected: 1 });
    expect(bus.messages(TOPICS.bars).map((m) => m.key)).toEqual(["MSFT"]);
    expect(capture.text()).toContain("high is below low");
  });
});
