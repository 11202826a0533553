import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { requireKafka } from "../../../../test/setup/kafka.js";
import { connectAdmin } from "../../../../test/support/kafka-tools.js";
import { createLogger } from "../log/logger.js";
import { KafkaBus, chunkBySize, isBrokerUnreachable } from "./kafka-bus.js";
import type { MessageBatch } from "./types.js";

const brokers = await requireKafka();
const logger = createLogger({ service: "test", level: "silent" });

describe("chunkBySize", () => {
  it("keeps every message, in order, in chunks under the byte limit", () => {
    const messages = Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: "x".repeat(100) }));
    const chunks = chunkBySize(messages, 1_000);
    expect(chunks.flat()).toEqual(messages);
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks) {
      const bytes = chunk.reduce((n, m) => n + m.key.length + m.value.length, 0);
      expect(bytes).toBeLessThanOrEqual(1_000);
    }
  });
  it("sends a message larger than the limit alone rather than dropping it", () => {
    const big = { key: "big", value: "x".repeat(5_000) };
    expect(chunkBySize([{ key: "a", value: "1" }, big], 1_000)).toEqual([[{ key: "a", value: "1" }], [big]]);
  });
});

describe.skipIf(!brokers)("KafkaBus against a real broker", () => {
  const bus = new KafkaBus({
    brokers: brokers!.split(","),
    clientId: "bus-test",
    logger,
    stopGraceMs: 20_000,
  });
  afterAll(() => bus.close());

  it("delivers keyed messages in order per key and commits after the handler resolved", async () => {
    const topic = `bus-test-${randomUUID()}`;
    await bus.ensureTopics([topic]);
    const producer = await bus.producer();
    const sent = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 3}`, value: String(i) }));
    await producer.send(topic, sent);
    const seen: string[] = [];
    const groupId = `bus-test-${randomUUID()}`;
    const consumer = await bus.consume({
      groupId,
      topics: [topic],
      handleBatch: async (batch) => {
        for (const m of batch.messages) seen.push(`${m.key}=${m.value!.toString()}`);
      },
    });
    await expect.poll(() => seen.length, { timeout: 30_000 }).toBe(30);
    for (const key of ["k0", "k1", "k2"]) {
      const values = seen.filter((s) => s.startsWith(`${key}=`)).map((s) => Number(s.split("=")[1]));
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }
    await consumer.stop();
    await producer.close();
    const admin = await connectAdmin(brokers!);
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    await admin.disconnect();
    const committed = offsets!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
    expect(committed).toBe(30);
  });

  it("lets the batch in hand finish and commit when stopped", async () => {
    const topic = `bus-stop-${randomUUID()}`;
    await bus.ensureTopics([topic]);
    const producer = await bus.producer();
    await producer.send(topic, [{ key: "a", value: "slow" }]);
    await producer.close();
    let started!: () => void;
    const handling = new Promise<void>((resolve) => (started = resolve));
    let finished = false;
    let aborted = false;
    const groupId = `bus-stop-${randomUUID()}`;
    const consumer = await bus.consume({
      groupId,
      topics: [topic],
      handleBatch: async (_batch: MessageBatch, context) => {
        started();
        await new Promise((r) => setTimeout(r, 1_500));
        aborted = context.signal.aborted;
        finished = true;
      },
    });
    await handling;
    await consumer.stop();
    expect(finished).toBe(true);
    expect(aborted).toBe(false);
    const admin = await connectAdmin(brokers!);
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    await admin.disconnect();
    expect(offsets!.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0)).toBe(1);
  });

  it("hands each batch the partition's high watermark, so that a consumer can tell how far behind it is", async () => {
    const topic = `bus-hw-${randomUUID()}`;
    await bus.ensureTopics([topic]);
    const producer = await bus.producer();
    // One key: every message in one partition, whose next offset is then 12.
    await producer.send(
      topic,
      Array.from({ length: 12 }, (_, i) => ({ key: "one", value: String(i) })),
    );
    await producer.close();
    const batches: { last: string; highWatermark: string | undefined }[] = [];
    const consumer = await bus.consume({
      groupId: `bus-hw-${randomUUID()}`,
      topics: [topic],
      handleBatch: async (batch) => {
        batches.push({ last: batch.messages.at(-1)!.offset, highWatermark: batch.highWatermark });
      },
    });
    await expect.poll(() => batches.at(-1)?.last, { timeout: 30_000 }).toBe("11");
    await consumer.stop();
    expect(batches.at(-1)!.highWatermark).toBe("12");
    for (const batch of batches) expect(Number(batch.highWatermark)).toBeGreaterThan(Number(batch.last));
  });
});

describe("isBrokerUnreachable", () => {
  const named = (name: string, cause?: unknown) => Object.assign(new Error(name), { name, cause });
  it.each([
    ["a connection error", named("KafkaJSConnectionError")],
    ["the client giving up on one", named("KafkaJSNonRetriableError", named("KafkaJSConnectionError"))],
    [
      "retries exhausted on a refused socket",
      named("KafkaJSNumberOfRetriesExceeded", Object.assign(new Error("x"), { code: "ECONNREFUSED" })),
    ],
  ])("is true for %s", (_what, error) => expect(isBrokerUnreachable(error)).toBe(true));
  it.each([
    ["a refused request", named("KafkaJSProtocolError")],
    ["a message too large", named("KafkaJSNonRetriableError", named("KafkaJSProtocolError"))],
    ["nothing", undefined],
  ])("is false for %s", (_what, error) => expect(isBrokerUnreachable(error)).toBe(false));
});
