import { MemoryBus, TOPICS, createLogger, deadLetterSchema, type SentimentItem } from "@hdp/shared";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, databaseKind, type TestDatabase } from "../../../test/setup/database.js";
import { malformedBarCases, validBar } from "../../../test/support/bars.js";
import { createBatchHandler } from "./processor.js";
import type { SentimentScorer } from "./news/analytics-client.js";

const silent = createLogger({ service: "test", level: "silent" });

/** A scorer that refuses while `down` is set, like an analytics service that is unreachable. */
function flakyScorer(): SentimentScorer & { down: boolean; calls: number } {
  return {
    down: false,
    calls: 0,
    async score(items: readonly SentimentItem[]) {
      this.calls++;
      if (this.down) throw new TypeError("fetch failed: connect ECONNREFUSED");
      return items.map((i) => ({
        id: i.id,
        score: i.title.includes("beats") ? 0.6 : -0.4,
        label: i.title.includes("beats") ? ("positive" as const) : ("negative" as const),
        model: "stub@1",
      }));
    },
  };
}

describe(`processing batch handler (${databaseKind})`, () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("parks each malformed bar in the dead-letter topic with its reason and stores the valid bars around it", async () => {
    const bus = new MemoryBus();
    const producer = await bus.producer();
    const now = Date.now();
    const cases = malformedBarCases(now);
    const messages = [];
    for (const [i, c] of cases.entries()) {
      messages.push({
        key: "AAPL",
        value: JSON.stringify(
          validBar({ start: new Date(Date.parse("2024-03-05T14:30:00Z") + i * 60_000).toISOString() }),
        ),
      });
      messages.push({ key: "AAPL", value: c.raw });
    }
    await producer.send(TOPICS.bars, messages);
    const handler = createBatchHandler({
      pool: db.pool,
      producer,
      scorer: flakyScorer(),
      logger: silent,
      now: () => now,
    });
    await handler(
      { topic: TOPICS.bars, partition: 0, messages: bus.messages(TOPICS.bars) },
      { signal: new AbortController().signal, heartbeat: async () => {} },
    );

    const dead = bus
      .messages(`${TOPICS.bars}.dlq`)
      .map((m) => deadLetterSchema.parse(JSON.parse(m.value!.toString())));
    expect(dead).toHaveLength(cases.length);
    for (const [i, c] of cases.entries()) {
      expect(dead[i]!.reason, c.name).toMatch(c.reason);
      expect(dead[i]!.payload, c.name).toBe(c.raw);
      expect(dead[i]!.offset).toBe(String(2 * i + 1));
    }
    const stored = await db.pool.query("SELECT count(*)::int AS n FROM bars WHERE start_at >= '2024-03-05'");
    expect(stored.rows[0].n).toBe(cases.length);
  });

  it("keeps non-UTF-8 payloads intact as base64", async () => {
    const bus = new MemoryBus();
    const producer = await bus.producer();
    const handler = createBatchHandler({ pool: db.pool, producer, scorer: flakyScorer(), logger: silent });
    const raw = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    await handler(
      {
        topic: TOPICS.sensors,
        partition: 0,
        messages: [{ topic: TOPICS.sensors, partition: 0, offset: "0", key: "pi", value: raw }],
      },
      { signal: new AbortController().signal, heartbeat: async () => {} },
    );
    const dead = deadLetterSchema.parse(
      JSON.parse(bus.messages(`${TOPICS.sensors}.dlq`)[0]!.value!.toString()),
    );
    expect(dead.payloadEncoding).toBe("base64");
    expect(Buffer.from(dead.payload, "base64").equals(raw)).toBe(true);
  });

  it("retries scoring while analytics is down, commits nothing meanwhile, and scores every article once it is back", async () => {
    const bus = new MemoryBus({ redeliveryDelayMs: 50 });
    const producer = await bus.producer();
    const scorer = flakyScorer();
    scorer.down = true;
    const articles = ["a1", "a2", "a3"].map((id, i) => ({
      id: `flaky-${id}`,
      publishedAt: new Date(Date.parse("2024-03-05T15:00:00Z") + i * 60_000).toISOString(),
      title: i % 2 ? "Acme beats estimates" : "Acme misses estimates",
      author: null,
      url: `https://news.example/${id}`,
      description: null,
      publisher: "Example News",
      tickers: i === 2 ? ["AAPL", "MSFT"] : ["AAPL"],
      keywords: [],
      imageUrl: null,
    }));
    await producer.send(
      TOPICS.news,
      articles.map((a) => ({ key: a.id, value: JSON.stringify(a) })),
    );
    const consumer = await bus.consume({
      groupId: "processing",
      topics: [TOPICS.news],
      handleBatch: createBatchHandler({ pool: db.pool, producer, scorer, logger: silent }),
    });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(scorer.calls).toBeGreaterThan(1);
    const none = await db.pool.query(
      "SELECT count(*)::int AS n FROM sentiments WHERE article_id LIKE 'flaky-%'",
    );
    expect(none.rows[0].n).toBe(0);
    scorer.down = false;
    await expect
      .poll(
        async () =>
          (await db.pool.query("SELECT count(*)::int AS n FROM sentiments WHERE article_id LIKE 'flaky-%'"))
            .rows[0].n,
        { timeout: 15_000 },
      )
      .toBe(4);
    await consumer.stop();
  });

  it("never writes the database password or an API key into its log", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ service: "test", secrets: ["s3cr3t-pass"], destination: sink });
    logger.error(
      {
        url: "postgres://app:s3cr3t-pass@db:5432/app",
        provider: "https://api.example/v2?apiKey=KEY123456&x=1",
      },
      "failed at postgres://app:s3cr3t-pass@db",
    );
    const text = lines.join("");
    expect(text).not.toContain("s3cr3t-pass");
    expect(text).not.toContain("KEY123456");
    expect(text).toContain("[REDACTED]");
  });

  it("stores sensor readings once per device and instant", async () => {
    const bus = new MemoryBus();
    const producer = await bus.producer();
    const handler = createBatchHandler({ pool: db.pool, producer, scorer: flakyScorer(), logger: silent });
    const readings = [0, 1, 2].map((i) => ({
      device: "pi-lab-1",
      at: new Date(Date.parse("2024-03-05T15:00:00Z") + i * 15_000).toISOString(),
      cpuTempC: 48.5 + i,
      load1: 0.25 * i,
    }));
    const batch = (offset: number) => ({
      topic: TOPICS.sensors,
      partition: 0,
      messages: readings.map((r, i) => ({
        topic: TOPICS.sensors,
        partition: 0,
        offset: String(offset + i),
        key: r.device,
        value: Buffer.from(JSON.stringify(r)),
      })),
    });
    const context = { signal: new AbortController().signal, heartbeat: async () => {} };
    await handler(batch(0), context);
    const first = await db.pool.query(
      "SELECT xmin::text, device, at, cpu_temp_c, load1 FROM sensor_readings ORDER BY at",
    );
    await handler(batch(3), context);
    const again = await db.pool.query(
      "SELECT xmin::text, device, at, cpu_temp_c, load1 FROM sensor_readings ORDER BY at",
    );
    expect(first.rows.map((r) => r.cpu_temp_c)).toEqual([48.5, 49.5, 50.5]);
    expect(again.rows).toEqual(first.rows);
  });
});
