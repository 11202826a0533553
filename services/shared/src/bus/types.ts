/** A message to publish: the key decides the partition, so one key stays in order. */
export interface OutgoingMessage {
  readonly key: string;
  readonly value: string;
}

/** A message as delivered to a consumer. */
export interface IncomingMessage {
  readonly topic: string;
  readonly partition: number;
  /** Offset as a decimal string (Kafka offsets are 64-bit). */
  readonly offset: string;
  readonly key: string | null;
  readonly value: Buffer | null;
}

/** Consecutive messages of one topic partition. */
export interface MessageBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly IncomingMessage[];
  /**
   * The partition's high watermark (the offset the next message will get) when the
   * batch was fetched, as a decimal string; how far behind the consumer is. Absent
   * when the bus cannot tell (e.g. a batch built by hand in a test).
   */
  readonly highWatermark?: string;
}

export interface BatchContext {
  /** Aborted when the consumer is stopping: long retries should give up and throw. */
  readonly signal: AbortSignal;
  /** Keeps the consumer's group membership alive during long work. */
  heartbeat(): Promise<void>;
}

/**
 * Handles one batch. When it resolves, every message of the batch is done and the
 * batch's offsets are committed; when it throws, nothing is committed and the batch
 * is delivered again.
 */
export type BatchHandler = (batch: MessageBatch, context: BatchContext) => Promise<void>;

export interface ConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly handleBatch: BatchHandler;
  /** Where a group without committed offsets starts. @default true */
  readonly fromBeginning?: boolean;
}

export interface BusProducer {
  /** Publishes messages to one topic; resolves once the bus has them durably. */
  send(topic: string, messages: readonly OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export interface BusConsumer {
  /** Stops fetching, lets the batch in hand finish (or abort), commits, and leaves the group. */
  stop(): Promise<void>;
  /** Settles when the consumer has stopped; rejects if it crashed. */
  readonly done: Promise<void>;
}

/** The message bus used by every service: Kafka on a cluster, in-process locally. */
export interface MessageBus {
  /** Creates topics that do not exist yet. */
  ensureTopics(topics: readonly string[]): Promise<void>;
  producer(): Promise<BusProducer>;
  consume(options: ConsumerOptions): Promise<BusConsumer>;
  close(): Promise<void>;
}
