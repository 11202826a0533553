import {
  DatabaseError,
  TOPICS,
  ValidationError,
  deadLetterTopic,
  decodeMessage,
  inTransaction,
  isRetriable,
  withRetry,
  type BatchContext,
  type BatchHandler,
  type BusProducer,
  type DataTopic,
  type IncomingMessage,
  type Logger,
  type MessageBatch,
  type Pool,
  type PoolClient,
  type SentimentResult,
  type TopicMessages,
} from "@hdp/shared";
import { storeBars } from "./bars/store-bars.js";
import { recordDeadLetters, toDeadLetter, type ParkedMessage } from "./dead-letters.js";
import { recordStoredBars, startSeries, type ProcessingMetrics } from "./metrics.js";
import type { SentimentScorer } from "./news/analytics-client.js";
import { findUnscored, storeArticles, storeSentiments, type SentimentRow } from "./news/store-news.js";
import { storeReadings } from "./sensors/store-readings.js";

export interface ProcessorDeps {
  readonly pool: Pool;
  /** Publishes dead letters. */
  readonly producer: BusProducer;
  readonly scorer: SentimentScorer;
  readonly logger: Logger;
  readonly metrics?: ProcessingMetrics;
  /** Clock of the "instant in the future" rule, of bar freshness and of dead letters. @default Date.now */
  readonly now?: () => number;
}

interface Valid<T> {
  readonly message: IncomingMessage;
  readonly value: T;
}

/** Counts what a committed transaction stored; `committedAt` is the clock after the commit. */
type StoredRecorder = (metrics: ProcessingMetrics, committedAt: number) => void;

/** How each topic's valid messages are stored, inside one transaction, and how that is counted. */
const STORES: {
  readonly [T in DataTopic]: (
    client: PoolClient,
    values: readonly TopicMessages[T][],
  ) => Promise<StoredRecorder>;
} = {
  [TOPICS.bars]: async (client, bars) => {
    const { stored } = await storeBars(client, bars);
    return (metrics, committedAt) => recordStoredBars(metrics, stored, committedAt);
  },
  [TOPICS.news]: async (client, articles) => {
    const added = await storeArticles(client, articles);
    return (metrics) => metrics.articlesStored.inc(added);
  },
  [TOPICS.sensors]: async (client, readings) => {
    const written = await storeReadings(client, readings);
    return (metrics) => metrics.readingsStored.inc(written);
  },
};

/** The topics processing consumes. */
export const CONSUMED_TOPICS: readonly DataTopic[] = [TOPICS.bars, TOPICS.news, TOPICS.sensors];

/** The operations that retry a passing failure: the `operation` label of `processing_retries_total`. */
export const RETRY_OPERATIONS: readonly string[] = [
  ...CONSUMED_TOPICS.map((topic) => `store ${topic}`),
  "find unscored news",
  "score news",
  "store sentiments",
  "publish dead letters",
  "record dead letters",
];

function isDataTopic(topic: string): topic is DataTopic {
  return (CONSUMED_TOPICS as readonly string[]).includes(topic);
}

/** Messages of the batch's partition still behind its high watermark once this batch is done. */
function recordLag(metrics: ProcessingMetrics, batch: MessageBatch): void {
  const last = batch.messages.at(-1);
  if (batch.highWatermark === undefined || last === undefined) return;
  const behind = BigInt(batch.highWatermark) - BigInt(last.offset) - 1n;
  metrics.consumerLag.set(
    { topic: batch.topic, partition: String(batch.partition) },
    Number(behind > 0n ? behind : 0n),
  );
}

/**
 * The batch handler of the processing consumer group: validates every message,
 * stores the valid ones idempotently, sends the others to the topic's dead-letter
 * topic with the reason, and resolves only when all of that is durable (the bus
 * then commits the offsets). Passing failures are retried with backoff until they
 * pass or the consumer stops; nothing is committed meanwhile.
 */
export function createBatchHandler(deps: ProcessorDeps): BatchHandler {
  const now = deps.now ?? Date.now;
  if (deps.metrics) startSeries(deps.metrics, CONSUMED_TOPICS, RETRY_OPERATIONS);
  const park = (message: IncomingMessage, category: ParkedMessage["category"], reason: string) => ({
    message,
    category,
    reason,
    failedAt: new Date(now()),
  });

  const retrying = <T>(what: string, context: BatchContext, operation: () => Promise<T>) =>
    withRetry(operation, {
      signal: context.signal,
      maxDelayMs: 5_000,
      onRetry: async (error, attempt) => {
        deps.logger.warn({ err: error, attempt }, `${what} failed, retrying`);
        deps.metrics?.retries.inc({ operation: what });
        await context.heartbeat();
      },
    });

  /** Stores all valid messages in one transaction; on a data error, one by one to isolate the bad ones. */
  async function storeIsolating<T>(
    topic: DataTopic,
    valid: readonly Valid<T>[],
    store: (client: PoolClient, values: readonly T[]) => Promise<StoredRecorder>,
    context: BatchContext,
    deadLetters: ParkedMessage[],
  ): Promise<void> {
    const write = async (items: readonly Valid<T>[]) => {
      const record = await retrying(`store ${topic}`, context, async () => {
        try {
          return await inTransaction(deps.pool, (client) =>
            store(
              client,
              items.map((v) => v.value),
            ),
          );
        } catch (error) {
          throw new DatabaseError(error);
        }
      });
      if (deps.metrics) record(deps.metrics, now());
    };
    try {
      await write(valid);
    } catch (error) {
      if (isRetriable(error) || valid.length === 0) throw error;
      for (const item of valid) {
        try {
          await write([item]);
        } catch (single) {
          if (isRetriable(single)) throw single;
          const reason = `database refused the message: ${(single as Error).message}`;
          deadLetters.push(park(item.message, "database_rejected", reason));
        }
      }
    }
  }

  async function scoreNews(
    articles: readonly Valid<TopicMessages[typeof TOPICS.news]>[],
    context: BatchContext,
    deadLetters: ParkedMessage[],
  ) {
    const ids = articles.map((a) => a.value.id);
    const unscored = await retrying("find unscored news", context, () =>
      inTransaction(deps.pool, (client) => findUnscored(client, ids)),
    );
    if (unscored.length === 0) return;
    let results: SentimentResult[];
    try {
      results = await retrying("score news", context, () =>
        deps.scorer.score(
          unscored.map((a) => ({ id: a.id, title: a.title, description: a.description })),
          context.signal,
        ),
      );
    } catch (error) {
      if (isRetriable(error) || context.signal.aborted) throw error;
      // Analytics refused these articles for good (a 4xx): park them rather than block the partition.
      const refused = new Set(unscored.map((a) => a.id));
      for (const article of articles) {
        if (refused.has(article.value.id)) {
          const reason = `analytics refused the article: ${(error as Error).message}`;
          deadLetters.push(park(article.message, "analytics_rejected", reason));
        }
      }
      return;
    }
    const scoredAt = new Date(now()).toISOString();
    const rows: SentimentRow[] = unscored.flatMap((article, i) => {
      const result = results[i]!;
      return article.tickers.map((ticker) => ({
        articleId: article.id,
        ticker,
        score: result.score,
        label: result.label,
        model: result.model,
        scoredAt,
      }));
    });
    await retrying("store sentiments", context, () =>
      inTransaction(deps.pool, (c) => storeSentiments(c, rows)),
    );
    deps.metrics?.articlesScored.inc(unscored.length);
  }

  /**
   * Publishes the dead letters, then records them in `dead_letters`: both before the
   * batch resolves, so neither is skipped by a commit; a redelivery adds no row.
   */
  async function parkAll(topic: DataTopic, deadLetters: readonly ParkedMessage[], context: BatchContext) {
    if (deadLetters.length === 0) return;
    await retrying("publish dead letters", context, () =>
      deps.producer.send(deadLetterTopic(topic), deadLetters.map(toDeadLetter)),
    );
    const fresh = await retrying("record dead letters", context, () =>
      inTransaction(deps.pool, (client) => recordDeadLetters(client, deadLetters)),
    );
    for (const parked of fresh) deps.metrics?.deadLetters.inc({ topic, reason: parked.category });
    deps.logger.warn({ topic, count: deadLetters.length }, "messages sent to the dead-letter topic");
  }

  return async (batch: MessageBatch, context: BatchContext) => {
    const topic = batch.topic;
    if (!isDataTopic(topic)) throw new ValidationError([`processing does not consume topic ${topic}`]);
    if (deps.metrics) recordLag(deps.metrics, batch);
    const at = now();
    const valid: Valid<unknown>[] = [];
    const deadLetters: ParkedMessage[] = [];
    for (const message of batch.messages) {
      const decoded = decodeMessage(topic, message.value, at);
      if (decoded.ok) valid.push({ message, value: decoded.value });
      else
        deadLetters.push({
          message,
          category: decoded.category,
          reason: decoded.reason,
          failedAt: new Date(at),
        });
    }

    // decodeMessage(topic, …) gave values of this topic's type: its store takes them.
    const store = STORES[topic] as (
      client: PoolClient,
      values: readonly unknown[],
    ) => Promise<StoredRecorder>;
    await storeIsolating(topic, valid, store, context, deadLetters);
    if (topic === TOPICS.news) {
      await scoreNews(valid as Valid<TopicMessages[typeof TOPICS.news]>[], context, deadLetters);
    }

    await parkAll(topic, deadLetters, context);
    deps.metrics?.messages.inc({ topic, outcome: "stored" }, batch.messages.length - deadLetters.length);
    deps.metrics?.messages.inc({ topic, outcome: "dead_letter" }, deadLetters.length);
  };
}
