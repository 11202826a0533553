import {
  MemoryBus,
  TOPICS,
  UpstreamError,
  ValidationError,
  deadLetterSchema,
  type DataTopic,
} from "@hdp/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKind, type TestDatabase } from "../../../test/setup/database.js";
import { validBar } from "../../../test/support/bars.js";
import { createProcessingMetrics } from "./metrics.js";
import type { SentimentScorer } from "./news/analytics-client.js";
import { createBatchHandler } from "./processor.js";
import { batchContext, batchOf, metricValue, neutralScorer, silentLogger } from "./test-support.js";

const NOW = Date.parse("2024-03-07T15:00:00Z");

const article = {
  id: "dl-article",
  publishedAt: "2024-03-07T14:00:00.000Z",
  title: "Acme in the news",
  author: null,
  url: "https://news.example/dl",
  description: null,
  publisher: "Example News",
  tickers: ["AAPL"],
  keywords: [],
  imageUrl: null,
};

/** A scorer like an analytics service that refuses every article for good (a 4xx). */
const refusingScorer: SentimentScorer = {
  async score() {
    throw new UpstreamError("analytics answered 422: unprocessable", { retriable: false, status: 422 });
  },
};

/** One message per category, each at offsets of its own so that the cases do not share rows. */
const cases: { category: string; topic: DataTopic; value: unknown; scorer?: SentimentScorer }[] = [
  { category: "undecodable", topic: TOPICS.bars, value: "{ticker: AAPL" },
  { category: "schema", topic: TOPICS.bars, value: { ...validBar(), volume: "many" } },
  { category: "sanity", topic: TOPICS.bars, value: validBar({ high: 170, low: 175, open: 172, close: 172 }) },
  {
    category: "future_instant",
    topic: TOPICS.sensors,
    value: { device: "pi-dl", at: "2024-03-07T16:00:00.000Z", cpuTempC: 40, load1: 0 },
  },
  // PostgreSQL text cannot hold NUL: the contract lets it through, the database refuses it.
  {
    category: "database_rejected",
    topic: TOPICS.bars,
    value: validBar({ ticker: "NUL", start: "2024-03-07T14:30:00.000Z", source: "te\u0000st" }),
  },
  { category: "analytics_rejected", topic: TOPICS.news, value: article, scorer: refusingScorer },
];

describe(`dead letters in table dead_letters (${databaseKind})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it.each(cases.map((c, i) => ({ ...c, offset: 100 + i * 10 })))(
    "a $category message gives one row of that category and one count, and a replay adds neither",
    async ({ category, topic, value, scorer, offset }) => {
      const bus = new MemoryBus();
      const metrics = createProcessingMetrics();
      const handler = createBatchHandler({
        pool: db.pool,
        producer: await bus.producer(),
        scorer: scorer ?? neutralScorer(),
        logger: silentLogger,
        metrics,
        now: () => NOW,
      });
      const batch = batchOf(topic, [value], { from: offset });
      const counted = () =>
        metricValue(metrics.registry, "processing_dead_letters_total", { topic, reason: category });
      const rows = async () =>
        (
          await db.pool.query(
            `SELECT topic, partition, "offset", reason, failed_at FROM dead_letters WHERE topic = $1 AND "offset" = $2`,
            [topic, String(offset)],
          )
        ).rows;

      await handler(batch, batchContext());
      expect(await rows()).toEqual([
        { topic, partition: 0, offset: String(offset), reason: category, failed_at: new Date(NOW) },
      ]);
      expect(await counted()).toBe(1);
      const published = bus
        .messages(`${topic}.dlq`)
        .map((m) => deadLetterSchema.parse(JSON.parse(m.value!.toString())));
      expect(published.map((d) => d.offset)).toEqual([String(offset)]);

      // Redelivered (a crash before the commit): published again, at least once, but recorded and counted once.
      await handler(batch, batchContext());
      expect(await rows()).toHaveLength(1);
      expect(await counted()).toBe(1);
      expect(bus.messages(`${topic}.dlq`)).toHaveLength(2);
    },
  );

  it("keeps the first failure's instant when a redelivery fails again later", async () => {
    const bus = new MemoryBus();
    let clock = NOW;
    const handler = createBatchHandler({
      pool: db.pool,
      producer: await bus.producer(),
      scorer: neutralScorer(),
      logger: silentLogger,
      now: () => clock,
    });
    const batch = batchOf(TOPICS.sensors, ["not json"], { from: 500 });
    await handler(batch, batchContext());
    clock += 3_600_000;
    await handler(batch, batchContext());
    const rows = await db.pool.query(`SELECT failed_at FROM dead_letters WHERE "offset" = '500'`);
    expect(rows.rows).toEqual([{ failed_at: new Date(NOW) }]);
  });

  it("records nothing, and leaves the batch undone, when the dead letter could not be published", async () => {
    const handler = createBatchHandler({
      pool: db.pool,
      producer: {
        async send() {
          throw new ValidationError(["the broker refused the dead letter"]);
        },
        async close() {},
      },
      scorer: neutralScorer(),
      logger: silentLogger,
      now: () => NOW,
    });
    await expect(
      handler(batchOf(TOPICS.sensors, ["not json"], { from: 600 }), batchContext()),
    ).rejects.toThrow(/refused the dead letter/);
    const rows = await db.pool.query(`SELECT count(*)::int AS n FROM dead_letters WHERE "offset" = '600'`);
    expect(rows.rows[0].n).toBe(0);
  });
});
