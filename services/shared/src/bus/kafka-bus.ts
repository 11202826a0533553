import { Kafka, logLevel as KafkaLogLevel, type Consumer, type Producer, type LogEntry } from "kafkajs";
import { UNREACHABLE_SOCKET_CODES } from "../errors/errors.js";
import type { Logger } from "../log/logger.js";
import type { BusConsumer, BusProducer, ConsumerOptions, MessageBus, OutgoingMessage } from "./types.js";

export interface KafkaBusOptions {
  /** Bootstrap brokers, `host:port`. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly logger: Logger;
  /** Partitions for topics this bus creates. @default 3 */
  readonly partitions?: number;
  /** Replication factor for topics this bus creates. @default 1 */
  readonly replicationFactor?: number;
  /**
   * How long the group waits for a silent member before handing its partitions to
   * others, e.g. after a crash. The broker accepts 6 s to 30 min by default. @default 30_000
   */
  readonly sessionTimeoutMs?: number;
  /** How long `stop()` lets a batch that is still retrying go on before aborting it. @default 10_000 */
  readonly stopGraceMs?: number;
  /** Partitions of one consumer processed at the same time. @default 3 */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * How long a publish keeps trying while no broker can be reached (a restart, a network cut), beyond the
   * client's own retries, before it fails. @default 300_000
   */
  readonly publishRetryMs?: number;
}

/** kafkajs errors that say the brokers could not be reached (as opposed to a refused request). */
const UNREACHABLE = new Set([
  "KafkaJSConnectionError",
  "KafkaJSConnectionClosedError",
  "KafkaJSRequestTimeoutError",
  "KafkaJSBrokerNotFound",
]);

/** Errors of a topic creation that pass: the topic exists, or will in a moment. */
const TOPIC_NOT_READY = new Set([
  "UNKNOWN_TOPIC_OR_PARTITION",
  "LEADER_NOT_AVAILABLE",
  "TOPIC_ALREADY_EXISTS",
  "NOT_CONTROLLER",
  "REQUEST_TIMED_OUT",
]);

/**
 * True when `error`, or an error it wraps (kafkajs gives up with a `KafkaJSNonRetriableError` or
 * `KafkaJSNumberOfRetriesExceeded` around the cause), says that no broker could be reached: worth waiting for.
 */
export function isBrokerUnreachable(error: unknown): boolean {
  let at: unknown = error;
  for (let depth = 0; at && depth < 8; depth++) {
    const e = at as { name?: unknown; code?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof e.name === "string" && UNREACHABLE.has(e.name)) return true;
    if (typeof e.code === "string" && UNREACHABLE_SOCKET_CODES.has(e.code)) return true;
    at = e.cause ?? e.originalError;
  }
  return false;
}

const LEVELS: Record<number, "error" | "warn" | "info" | "debug"> = {
  [KafkaLogLevel.ERROR]: "error",
  [KafkaLogLevel.WARN]: "warn",
  [KafkaLogLevel.INFO]: "info",
  [KafkaLogLevel.DEBUG]: "debug",
};

/** Bytes of keys and values sent in one produce request (brokers refuse batches over 1 MiB by default). */
const MAX_REQUEST_BYTES = 768 * 1024;

/** Splits messages into consecutive chunks whose keys and values add up to at most `maxBytes`. */
export function chunkBySize(messages: readonly OutgoingMessage[], maxBytes: number): OutgoingMessage[][] {
  const chunks: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let size = 0;
  for (const message of messages) {
    const bytes = Buffer.byteLength(message.key) + Buffer.byteLength(message.value) + 64;
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(message);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Routes kafkajs's own log lines into our structured logger. */
function kafkaLogCreator(logger: Logger) {
  return () =>
    ({ level, log }: LogEntry) => {
      const { message, ...rest } = log;
      logger[LEVELS[level] ?? "info"]({ kafka: rest }, `kafka: ${message}`);
    };
}

/**
 * Message bus on Apache Kafka through kafkajs: idempotent producer, keyed
 * messages, batch consumption, offsets committed only after a batch's handler
 * resolved (at-least-once; the handlers are idempotent).
 */
export class KafkaBus implements MessageBus {
  private readonly kafka: Kafka;
  private readonly options: KafkaBusOptions;
  private readonly open = new Set<{ disconnect(): Promise<void> }>();

  constructor(options: KafkaBusOptions) {
    this.options = options;
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: [...options.brokers],
      logLevel: KafkaLogLevel.WARN,
      logCreator: kafkaLogCreator(options.logger),
      retry: { initialRetryTime: 300, retries: 8 },
    });
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      // A topic just created may not be in every metadata answer yet (kafkajs then throws "This server does
      // not host this topic-partition" while waiting for its leaders), and another client may create it at
      // the same moment: both pass, so the creation is tried again for what is still missing.
      for (let attempt = 1; ; attempt++) {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t));
        if (missing.length === 0) return;
        try {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((topic) => ({
              topic,
              numPartitions: this.options.partitions ?? 3,
              replicationFactor: this.options.replicationFactor ?? 1,
            })),
          });
          return;
        } catch (error) {
          const type = (error as { type?: unknown }).type;
          if (attempt >= 5 || !(typeof type === "string" && TOPIC_NOT_READY.has(type))) throw error;
          this.options.logger.warn({ err: error, attempt }, "kafka: topics not ready yet, checking again");
          await new Promise((resolve) => setTimeout(resolve, 300 * attempt));
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  async producer(): Promise<BusProducer> {
    // Idempotence makes broker-side retries safe: no duplicate and no reordering per partition.
    const producer: Producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    this.open.add(producer);
    return {
      send: async (topic: string, messages: readonly OutgoingMessage[]) => {
        // One request per chunk that stays under the broker's default 1 MiB batch limit.
        for (const chunk of chunkBySize(messages, MAX_REQUEST_BYTES)) {
          const giveUpAt = Date.now() + (this.options.publishRetryMs ?? 300_000);
          for (let attempt = 1; ; attempt++) {
            try {
              await producer.send({
                topic,
                acks: -1,
                messages: chunk.map((m) => ({ key: m.key, value: m.value })),
              });
              if (attempt > 1)
                this.options.logger.warn({ topic, attempt }, `kafka: published to ${topic} again`);
              break;
            } catch (error) {
              if (!isBrokerUnreachable(error) || Date.now() >= giveUpAt) throw error;
              // A retry after the client gave up may write a chunk twice; consumers store idempotently.
              const delayMs = Math.min(10_000, 500 * 2 ** Math.min(attempt - 1, 5));
              this.options.logger.warn(
                { err: error, topic, messages: chunk.length, attempt, retryInMs: delayMs },
                `kafka: no broker reachable; publishing ${chunk.length} messages to ${topic} again in ${delayMs} ms (attempt ${attempt})`,
              );
              await new Promise((resolve) => setTimeout(resolve, delayMs));
            }
          }
        }
      },
      close: async () => {
        this.open.delete(producer);
        await producer.disconnect();
      },
    };
  }

  async consume(options: ConsumerOptions): Promise<BusConsumer> {
    const consumer: Consumer = this.kafka.consumer({
      groupId: options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: Math.min(3_000, Math.floor((this.options.sessionTimeoutMs ?? 30_000) / 3)),
      maxBytesPerPartition: 4 * 1024 * 1024,
      // Short long-polls: an idle consumer answers a stop within a second.
      maxWaitTimeInMs: 1_000,
      retry: { retries: 10 },
    });
    const controller = new AbortController();
    await consumer.connect();
    this.open.add(consumer);
    for (const topic of options.topics) {
      await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
    }
    let crashed: ((error: Error) => void) | undefined;
    const done = new Promise<void>((resolve, reject) => {
      crashed = reject;
      consumer.on(consumer.events.STOP, () => resolve());
    });
    done.catch(() => {});
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) crashed?.(event.payload.error);
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: async ({
        batch,
        heartbeat,
        isRunning,
        isStale,
        resolveOffset,
        commitOffsetsIfNecessary,
      }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        await options.handleBatch(
          {
            topic: batch.topic,
            partition: batch.partition,
            highWatermark: batch.highWatermark,
            messages: batch.messages.map((m) => ({
              topic: batch.topic,
              partition: batch.partition,
              offset: m.offset,
              key: m.key ? m.key.toString("utf8") : null,
              value: m.value,
            })),
          },
          { signal: controller.signal, heartbeat },
        );
        // Advances the fetch position past the batch; without it kafkajs fetches the same batch again.
        resolveOffset(batch.lastOffset());
        const next = (BigInt(batch.lastOffset()) + 1n).toString();
        // Commit only after the handler stored everything: a crash before this line means redelivery.
        // (The batch-scoped commit also works while the consumer is stopping; consumer.commitOffsets
        // silently skips then, and the last batch would be delivered again after every shutdown.)
        await commitOffsetsIfNecessary({
          topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next }] }],
        });
      },
    });
    return {
      stop: async () => {
        // kafkajs lets the batch in hand finish (and commit) before it leaves the group; a batch
        // stuck retrying a dependency that is down is told to give up after the grace period.
        const giveUp = setTimeout(() => controller.abort(), this.options.stopGraceMs ?? 10_000);
        try {
          this.open.delete(consumer);
          await consumer.disconnect();
        } finally {
          clearTimeout(giveUp);
          controller.abort();
        }
      },
      done,
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((c) => c.disconnect()));
    this.open.clear();
  }
}
