import { EventEmitter } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import type {
  BusConsumer,
  BusProducer,
  ConsumerOptions,
  IncomingMessage,
  MessageBus,
  OutgoingMessage,
} from "./types.js";

export interface MemoryBusOptions {
  /** Largest batch handed to a consumer. @default 1000 */
  readonly maxBatchSize?: number;
  /** Wait before a failed batch is delivered again. @default 500 */
  readonly redeliveryDelayMs?: number;
}

/**
 * In-process message bus with Kafka's delivery semantics for one partition per
 * topic: ordered log, per-group committed offsets, at-least-once redelivery of a
 * batch whose handler threw. The local default when no broker is configured.
 */
export class MemoryBus implements MessageBus {
  private readonly logs = new Map<string, IncomingMessage[]>();
  private readonly committed = new Map<string, number>();
  private readonly appended = new EventEmitter();
  private readonly consumers = new Set<BusConsumer>();
  private readonly maxBatchSize: number;
  private readonly redeliveryDelayMs: number;

  constructor(options: MemoryBusOptions = {}) {
    this.maxBatchSize = options.maxBatchSize ?? 1000;
    this.redeliveryDelayMs = options.redeliveryDelayMs ?? 500;
    this.appended.setMaxListeners(0);
  }

  async ensureTopics(topics: readonly string[]): Promise<void> {
    for (const topic of topics) this.log(topic);
  }

  /** Every message ever published to `topic`, for inspection in tests and tools. */
  messages(topic: string): readonly IncomingMessage[] {
    return this.log(topic);
  }

  async producer(): Promise<BusProducer> {
    return {
      send: async (topic: string, messages: readonly OutgoingMessage[]) => {
        const log = this.log(topic);
        for (const m of messages) {
          log.push({
            topic,
            partition: 0,
            offset: String(log.length),
            key: m.key,
            value: Buffer.from(m.value),
          });
        }
        if (messages.length > 0) this.appended.emit("append", topic);
      },
      close: async () => {},
    };
  }

  async consume(options: ConsumerOptions): Promise<BusConsumer> {
    const controller = new AbortController();
    const wake = new EventEmitter();
    const onAppend = (topic: string) => {
      if (options.topics.includes(topic)) wake.emit("wake");
    };
    this.appended.on("append", onAppend);
    for (const topic of options.topics) {
      const key = `${options.groupId}\u0000${topic}`;
      if (!this.committed.has(key))
        this.committed.set(key, options.fromBeginning === false ? this.log(topic).length : 0);
    }
    const done = this.runLoop(options, controller.signal, wake).finally(() =>
      this.appended.off("append", onAppend),
    );
    const consumer: BusConsumer = {
      stop: async () => {
        controller.abort();
        wake.emit("wake");
        await done.catch(() => {});
        this.consumers.delete(consumer);
      },
      done,
    };
    this.consumers.add(consumer);
    return consumer;
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.stop()));
  }

  private log(topic: string): IncomingMessage[] {
    let log = this.logs.get(topic);
    if (!log) {
      log = [];
      this.logs.set(topic, log);
    }
    return log;
  }

  private async runLoop(options: ConsumerOptions, signal: AbortSignal, wake: EventEmitter): Promise<void> {
    while (!signal.aborted) {
      let delivered = false;
      for (const topic of options.topics) {
        if (signal.aborted) break;
        const key = `${options.groupId}\u0000${topic}`;
        const from = this.committed.get(key) ?? 0;
        const log = this.log(topic);
        const messages = log.slice(from, from + this.maxBatchSize);
        if (messages.length === 0) continue;
        delivered = true;
        try {
          await options.handleBatch(
            { topic, partition: 0, messages, highWatermark: String(log.length) },
            { signal, heartbeat: async () => {} },
          );
          this.committed.set(key, from + messages.length);
        } catch {
          // The handler logs its own failure; the batch stays uncommitted and comes again.
          await sleep(this.redeliveryDelayMs, undefined, { signal }).catch(() => {});
        }
      }
      if (!delivered && !signal.aborted) {
        await new Promise<void>((resolve) => wake.once("wake", resolve));
      }
    }
  }
}
