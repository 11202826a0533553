import { describe, expect, it } from "vitest";
import { MemoryBus, TOPICS, UpstreamError, ValidationError } from "@hdp/shared";
import { captureLogger } from "../testing/capture-logger.js";
import { ReplaySource } from "../sources/replay/replay-source.js";
import type { MarketSource } from "../sources/types.js";
import { newsWindowFor, runBackfill } from "./backfill-job.js";
import { PublishedGuard } from "./published-guard.js";

async function setup(tickers: string[], market: MarketSource = new ReplaySource("hdp")) {
  const bus = new MemoryBus();
  const context = {
    logger: captureLogger().logger,
    producer: await bus.producer(),
    tickers,
    market,
    news: new ReplaySource("hdp"),
    guard: new PublishedGuard(),
  };
  return { bus, context };
}

describe("runBackfill", () => {
  it("publishes every session bar of each trading day and reports progress per day and ticker", async () => {
    const { bus, context } = await setup(["AAPL", "MSFT"]);
    const lines: string[] = [];
    const result = await runBackfill(context, {
      from: "2024-03-28",
      to: "2024-04-01",
      now: new Date("2024-06-01T00:00:00Z"),
      onProgress: (line) => lines.push(line),
    });
    expect(result).toMatchObject({ days: 2, bars: 4 * 390, failures: [] });
    expect(bus.messages(TOPICS.bars)).toHaveLength(4 * 390);
    expect(lines.map((l) => l.replace(/, \d+ articles$/, ""))).toEqual([
      "backfill: 1/2 days, 2024-03-28 AAPL 390 bars",
      "backfill: 1/2 days, 2024-03-28 MSFT 390 bars",
      "backfill: 2/2 days, 2024-04-01 AAPL 390 bars",
      "backfill: 2/2 days, 2024-04-01 MSFT 390 bars",
    ]);
    const ids = bus.messages(TOPICS.news).map((m) => m.key);
    expect(ids.length).toBe(result.articles);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("publishes bars only when news is off", async () => {
    const { bus, context } = await setup(["AAL"]);
    await runBackfill(context, {
      from: "2024-03-05",
      to: "2024-03-05",
      now: new Date("2024-06-01T00:00:00Z"),
      news: false,
      onProgress: () => {},
    });
    expect(bus.messages(TOPICS.news)).toHaveLength(0);
    expect(bus.messages(TOPICS.bars)).toHaveLength(390);
  });

  it("stops at now: a backfill reaching today publishes only completed time", async () => {
    const { bus, context } = await setup(["AAL"]);
    await runBackfill(context, {
      from: "2024-03-05",
      to: "2024-03-06",
      now: new Date("2024-03-05T15:00:00Z"),
      news: false,
      onProgress: () => {},
    });
    expect(bus.messages(TOPICS.bars)).toHaveLength(30);
  });

  it("refuses --from after --to", async () => {
    const { context } = await setup(["AAL"]);
    await expect(
      runBackfill(context, { from: "2024-03-08", to: "2024-03-01", now: new Date() }),
    ).rejects.toThrow(ValidationError);
  });

  it("stops at the first non-retriable failure, which would repeat every day", async () => {
    const calls: string[] = [];
    const refusing: MarketSource = {
      name: "refusing",
      fetchBars: async ({ ticker }) => {
        calls.push(ticker);
        throw new UpstreamError("plan has no access", { retriable: false, status: 403 });
      },
    };
    const { context } = await setup(["AAL", "AAPL"], refusing);
    const result = await runBackfill(context, {
      from: "2024-03-04",
      to: "2024-03-08",
      now: new Date("2024-06-01T00:00:00Z"),
      onProgress: () => {},
    });
    expect(calls).toEqual(["AAL"]);
    expect(result.failures).toHaveLength(1);
  });
});

describe("newsWindowFor", () => {
  it("gives Monday the weekend's news, from Saturday 00:00 to Tuesday 00:00 New York time", () => {
    expect(newsWindowFor("2024-03-11")).toEqual({
      from: new Date("2024-03-09T05:00:00Z"),
      to: new Date("2024-03-12T04:00:00Z"),
    });
  });
});
