import { randomUUID } from "node:crypto";
import { Kafka, logLevel, type Admin } from "kafkajs";
import {
  ALL_TOPICS,
  KafkaBus,
  withTopicPrefix,
  type BusProducer,
  type Logger,
  type MessageBus,
} from "@hdp/shared";

/** A kafkajs admin client for assertions; the caller disconnects it. */
export async function connectAdmin(brokers: string): Promise<Admin> {
  const admin = new Kafka({
    clientId: "test-admin",
    brokers: brokers.split(","),
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  return admin;
}

/** Resolves once `groupId` has committed every partition of `topics` up to its end. */
export async function waitForCaughtUp(
  brokers: string,
  groupId: string,
  topics: readonly string[],
  timeoutMs = 60_000,
): Promise<void> {
  const admin = await connectAdmin(brokers);
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let behind = 0;
      for (const topic of topics) {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        for (const end of ends) {
          const done = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? "-1";
          const position = Number(done) < 0 ? 0 : Number(done);
          behind += Math.max(0, Number(end.high) - position);
        }
      }
      if (behind === 0) return;
      if (Date.now() > deadline)
        throw new Error(`group ${groupId} still ${behind} messages behind after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

/** Every message of `topic` from the beginning up to its current end, as UTF-8 key/value pairs. */
export async function readTopic(
  brokers: string,
  topic: string,
  timeoutMs = 30_000,
): Promise<{ key: string | null; value: string }[]> {
  const kafka = new Kafka({
    clientId: "test-reader",
    brokers: brokers.split(","),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(ends.map((e) => [e.partition, Number(e.high)]));
  const out: { key: string | null; value: string }[] = [];
  if ([...remaining.values()].every((v) => v === 0)) return out;
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), timeoutMs);
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        const end = remaining.get(partition) ?? 0;
        if (Number(message.offset) < end) {
          out.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? "" });
        }
        if (Number(message.offset) + 1 >= end) remaining.set(partition, 0);
        if ([...remaining.values()].every((v) => v === 0)) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}

/** A Kafka bus whose topics belong to one test run, with a producer on it. */
export interface IsolatedBus {
  readonly bus: MessageBus;
  readonly producer: BusProducer;
  /** Topic prefix of this run, e.g. `test-1a2b3c4d.`. */
  readonly prefix: string;
  /** Name on the wire of a contract topic. */
  wire(topic: string): string;
  close(): Promise<void>;
}

/**
 * Connects a bus whose every topic carries a prefix unique to `runId`, so that suites
 * (and the same suite on PGlite and on PostgreSQL) share one broker without reading
 * each other's messages; creates the contract topics and opens a producer.
 */
export async function connectIsolatedBus(
  brokers: string,
  runId: string,
  logger: Logger,
): Promise<IsolatedBus> {
  const prefix = `test-${runId}.`;
  const bus = withTopicPrefix(
    new KafkaBus({ brokers: brokers.split(","), clientId: `test-${runId}`, logger }),
    prefix,
  );
  await bus.ensureTopics(ALL_TOPICS);
  const producer = await bus.producer();
  return {
    bus,
    producer,
    prefix,
    wire: (topic) => `${prefix}${topic}`,
    async close() {
      await producer.close();
      await bus.close();
    },
  };
}
