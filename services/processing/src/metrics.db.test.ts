import { MemoryBus, TOPICS } from "@hdp/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKind, type TestDatabase } from "../../../test/setup/database.js";
import { validBar } from "../../../test/support/bars.js";
import { createProcessingMetrics } from "./metrics.js";
import { createBatchHandler } from "./processor.js";
import { batchContext, batchOf, metricValue, neutralScorer, silentLogger } from "./test-support.js";

describe(`processing metrics (${databaseKind})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  async function handlerWith(now: () => number = Date.now) {
    const bus = new MemoryBus();
    const metrics = createProcessingMetrics();
    const handler = createBatchHandler({
      pool: db.pool,
      producer: await bus.producer(),
      scorer: neutralScorer(),
      logger: silentLogger,
      metrics,
      now,
    });
    return { metrics, handler };
  }

  it("counts the bars a batch stored by source, and nothing for a replayed batch", async () => {
    const { metrics, handler } = await handlerWith();
    const bars = [
      validBar({ ticker: "SRC", start: "2024-03-06T14:30:00.000Z", source: "replay" }),
      validBar({ ticker: "SRC", start: "2024-03-06T14:31:00.000Z", source: "replay" }),
      validBar({ ticker: "SRCB", start: "2024-03-06T14:30:00.000Z", source: "polygon" }),
    ];
    await handler(batchOf(TOPICS.bars, bars), batchContext());
    await handler(batchOf(TOPICS.bars, bars, { from: 3 }), batchContext());
    expect(await metricValue(metrics.registry, "processing_bars_stored_total", { source: "replay" })).toBe(2);
    expect(await metricValue(metrics.registry, "processing_bars_stored_total", { source: "polygon" })).toBe(
      1,
    );

    await handler(batchOf(TOPICS.bars, [{ ...bars[2]!, close: 180.6 }], { from: 6 }), batchContext());
    expect(await metricValue(metrics.registry, "processing_bars_stored_total", { source: "polygon" })).toBe(
      2,
    );
  });

  it("observes each stored bar's freshness, from its end to the commit, on the service clock", async () => {
    // The bar covers 14:30:00–14:31:00; the clock reads 14:31:12 at the commit: 12 s.
    const { metrics, handler } = await handlerWith(() => Date.parse("2024-03-06T14:31:12Z"));
    await handler(
      batchOf(TOPICS.bars, [
        validBar({ ticker: "FRESH", start: "2024-03-06T14:30:00.000Z", source: "replay" }),
      ]),
      batchContext(),
    );
    const series = (le: string) =>
      metricValue(
        metrics.registry,
        "processing_bar_freshness_seconds",
        { source: "replay", le },
        "processing_bar_freshness_seconds_bucket",
      );
    expect(await series("10")).toBe(0);
    expect(await series("15")).toBe(1);
    expect(
      await metricValue(
        metrics.registry,
        "processing_bar_freshness_seconds",
        { source: "replay" },
        "processing_bar_freshness_seconds_sum",
      ),
    ).toBe(12);
  });

  it("counts a bar stored before its end (a clock a little ahead) as 0 s fresh", async () => {
    const { metrics, handler } = await handlerWith(() => Date.parse("2024-03-06T14:30:30Z"));
    await handler(
      batchOf(TOPICS.bars, [
        validBar({ ticker: "EARLY", start: "2024-03-06T14:30:00.000Z", source: "early" }),
      ]),
      batchContext(),
    );
    expect(
      await metricValue(
        metrics.registry,
        "processing_bar_freshness_seconds",
        { source: "early" },
        "processing_bar_freshness_seconds_sum",
      ),
    ).toBe(0);
  });

  it("counts articles stored for the first time and readings inserted or changed", async () => {
    const { metrics, handler } = await handlerWith();
    const article = (id: string) => ({
      id,
      publishedAt: "2024-03-06T15:00:00.000Z",
      title: "Acme holds its annual meeting",
      author: null,
      url: `https://news.example/${id}`,
      description: null,
      publisher: "Example News",
      tickers: ["AAPL"],
      keywords: [],
      imageUrl: null,
    });
    await handler(batchOf(TOPICS.news, [article("m-1"), article("m-2")]), batchContext());
    await handler(batchOf(TOPICS.news, [article("m-2"), article("m-3")], { from: 2 }), batchContext());
    expect(await metricValue(metrics.registry, "processing_articles_stored_total")).toBe(3);
    expect(await metricValue(metrics.registry, "processing_articles_scored_total")).toBe(3);

    const reading = (cpuTempC: number) => ({
      device: "pi-metrics",
      at: "2024-03-06T15:00:00.000Z",
      cpuTempC,
      load1: 0.5,
    });
    await handler(batchOf(TOPICS.sensors, [reading(50)]), batchContext());
    await handler(batchOf(TOPICS.sensors, [reading(50)], { from: 1 }), batchContext());
    await handler(batchOf(TOPICS.sensors, [reading(51)], { from: 2 }), batchContext());
    expect(await metricValue(metrics.registry, "processing_readings_stored_total")).toBe(2);
  });

  it("sets the consumer lag to the messages behind the batch's high watermark", async () => {
    const { metrics, handler } = await handlerWith();
    const readings = [3, 4, 5].map((i) => ({
      device: "pi-lag",
      at: new Date(Date.parse("2024-03-06T15:00:00Z") + i * 15_000).toISOString(),
      cpuTempC: 40,
      load1: 0,
    }));
    // Offsets 3, 4 and 5 of a partition whose next offset is 10: 4 messages still behind.
    await handler(batchOf(TOPICS.sensors, readings, { from: 3, highWatermark: "10" }), batchContext());
    expect(
      await metricValue(metrics.registry, "processing_consumer_lag", { topic: TOPICS.sensors, partition: 0 }),
    ).toBe(4);
  });

  it("follows the lag batch by batch as a consumer of the memory bus catches up", async () => {
    const { metrics, handler } = await handlerWith();
    const bus = new MemoryBus({ maxBatchSize: 2 });
    const producer = await bus.producer();
    const readings = Array.from({ length: 5 }, (_v, i) => ({
      key: "pi-catch-up",
      value: JSON.stringify({
        device: "pi-catch-up",
        at: new Date(Date.parse("2024-03-06T16:00:00Z") + i * 15_000).toISOString(),
        cpuTempC: 40,
        load1: 0,
      }),
    }));
    await producer.send(TOPICS.sensors, readings);
    const lags: (number | undefined)[] = [];
    const consumer = await bus.consume({
      groupId: "lag-test",
      topics: [TOPICS.sensors],
      handleBatch: async (batch, context) => {
        await handler(batch, context);
        lags.push(
          await metricValue(metrics.registry, "processing_consumer_lag", {
            topic: TOPICS.sensors,
            partition: 0,
          }),
        );
      },
    });
    await expect.poll(() => lags.length, { timeout: 10_000 }).toBe(3);
    await consumer.stop();
    expect(lags).toEqual([3, 1, 0]);
  });

  it("shows the dead-letter, analytics and retry series at 0 before anything happened", async () => {
    const { metrics } = await handlerWith();
    const { registry } = metrics;
    expect(
      await metricValue(registry, "processing_dead_letters_total", { topic: TOPICS.bars, reason: "sanity" }),
    ).toBe(0);
    expect(await metricValue(registry, "processing_analytics_failures_total", { reason: "timeout" })).toBe(0);
    expect(
      await metricValue(
        registry,
        "processing_analytics_request_duration_seconds",
        { outcome: "ok" },
        "processing_analytics_request_duration_seconds_count",
      ),
    ).toBe(0);
    expect(await metricValue(registry, "processing_retries_total", { operation: "score news" })).toBe(0);
    expect(
      await metricValue(registry, "processing_messages_total", {
        topic: TOPICS.news,
        outcome: "dead_letter",
      }),
    ).toBe(0);
  });
});
