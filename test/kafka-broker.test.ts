import { randomUUID } from "node:crypto";
import { Kafka, Partitioners, logLevel, type Consumer, type KafkaMessage } from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { requireKafka } from "./setup/kafka.js";

const brokers = await requireKafka();

async function waitFor(what: string, ready: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const text = (m: KafkaMessage): string => `${m.key?.toString()}=${m.value?.toString()}`;

describe.skipIf(!brokers)("real Kafka broker with kafkajs", () => {
  const kafka = new Kafka({
    clientId: "kafka-broker-test",
    brokers: [brokers ?? ""],
    logLevel: logLevel.NOTHING,
  });
  const topic = `broker-test-${randomUUID()}`;
  const groupId = `broker-test-group-${randomUUID()}`;
  const consumers: Consumer[] = [];

  /** A manually committing consumer in `groupId` that records what it sees. */
  async function startConsumer(): Promise<{
    seen: string[];
    committed: () => string;
    fetches: () => number;
  }> {
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1000,
      maxWaitTimeInMs: 200,
    });
    consumers.push(consumer);
    const seen: string[] = [];
    let joined = false;
    let fetches = 0;
    let committed = "";
    consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    consumer.on(consumer.events.FETCH, () => (joined ? fetches++ : 0));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary }) => {
        for (const message of batch.messages) {
          seen.push(text(message));
          resolveOffset(message.offset);
        }
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        await commitOffsetsIfNecessary({
          topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }],
        });
        committed = next;
        await heartbeat();
      },
    });
    return { seen, committed: () => committed, fetches: () => fetches };
  }

  afterAll(async () => {
    await Promise.allSettled(consumers.map((c) => c.disconnect()));
  });

  it("produces idempotently, consumes in a group with manual commits, and resumes after the commit", async () => {
    const admin = kafka.admin();
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await admin.connect();
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })).toBe(
        true,
      );

      await producer.connect();
      await producer.send({
        topic,
        messages: [
          { key: "k1", value: "v1" },
          { key: "k2", value: "v2" },
          { key: "k3", value: "v3" },
        ],
      });

      const first = await startConsumer();
      await waitFor("3 messages", () => first.seen.length >= 3);
      expect(first.seen).toEqual(["k1=v1", "k2=v2", "k3=v3"]);
      await waitFor("the manual commit", () => first.committed() === "3");
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      expect(committed?.partitions).toEqual([{ partition: 0, offset: "3", metadata: null }]);
      await consumers[0]?.disconnect();

      const second = await startConsumer();
      await waitFor("the second consumer to join and fetch", () => second.fetches() >= 2);
      expect(second.seen).toEqual([]);
      await producer.send({ topic, messages: [{ key: "k4", value: "v4" }] });
      await waitFor("the message produced after the commit", () => second.seen.length >= 1);
      expect(second.seen).toEqual(["k4=v4"]);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
    }
  });
});
