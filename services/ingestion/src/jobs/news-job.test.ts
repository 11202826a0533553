import { describe, expect, it } from "vitest";
import { MemoryBus, TOPICS } from "@hdp/shared";
import { captureLogger } from "../testing/capture-logger.js";
import { ReplaySource } from "../sources/replay/replay-source.js";
import { runNewsOnce } from "./news-job.js";
import { PublishedGuard } from "./published-guard.js";

async function setup() {
  const bus = new MemoryBus();
  const source = new ReplaySource("hdp");
  const context = {
    logger: captureLogger().logger,
    producer: await bus.producer(),
    tickers: ["AAL", "AAPL", "AMD", "MSFT", "TSLA"],
    market: source,
    news: source,
    guard: new PublishedGuard(),
  };
  return { bus, context };
}

describe("runNewsOnce", () => {
  const now = new Date("2024-03-06T02:00:00Z");

  it("publishes each article once, keyed by id, even when it names two of our tickers", async () => {
    const { bus, context } = await setup();
    const result = await runNewsOnce(context, { now, lookbackMinutes: 24 * 60 });
    const keys = bus.messages(TOPICS.news).map((m) => m.key);
    expect(result.published).toBe(keys.length);
    expect(keys.length).toBeGreaterThan(5);
    expect(new Set(keys).size).toBe(keys.length);
    for (const m of bus.messages(TOPICS.news)) {
      const article = JSON.parse(m.value?.toString() ?? "{}") as { id: string; publishedAt: string };
      expect(m.key).toBe(article.id);
      expect(Date.parse(article.publishedAt)).toBeLessThan(now.getTime());
    }
  });

  it("publishes nothing new when run again", async () => {
    const { bus, context } = await setup();
    await runNewsOnce(context, { now, lookbackMinutes: 24 * 60 });
    const count = bus.messages(TOPICS.news).length;
    const again = await runNewsOnce(context, { now, lookbackMinutes: 24 * 60 });
    expect(again.published).toBe(0);
    expect(bus.messages(TOPICS.news)).toHaveLength(count);
  });
});
