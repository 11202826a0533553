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
  type OutgoingMessage,
  type Pool,
  type PoolClient,
  type SentimentResult,
  type TopicMessages,
} from "@hdp/shared";
import { storeBars } from "./bars/store-bars.js";
import { toDeadLetter } from "./dead-letters.js";
import type { ProcessingMetrics } from "./metrics.js";
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
  /** Clock used for the "instant in the future" rule. @default Date.now */
  readonly now?: () => number;
}

interface Valid<T> {
  readonly message: IncomingMessage;
  readonly value: T;
}

/** How each topic's valid messages are stored, inside one transaction. */
const STORES: {
  readonly [T in DataTopic]: (client: PoolClient, values: readonly TopicMessages[T][]) => Promise<unknown>;
} = {
  [TOPICS.bars]: storeBars,
  [TOPICS.news]: storeArticles,
  [TOPICS.sensors]: storeReadings,
};

/** The topics processing consumes. */
export const CONSUMED_TOPICS: readonly DataTopic[] = [TOPICS.bars, TOPICS.news, TOPICS.sensors];

function isDataTopic(topic: string): topic is DataTopic {
  return (CONSUMED_TOPICS as readonly string[]).includes(topic);
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
    store: (client: PoolClient, values: readonly T[]) => Promise<unknown>,
    context: BatchContext,
    deadLetters: OutgoingMessage[],
  ): Promise<void> {
    const write = (items: readonly Valid<T>[]) =>
      retrying(`store ${topic}`, context, async () => {
        try {
          await inTransaction(deps.pool, (client) =>
            store(
              client,
              items.map((v) => v.value),
            ),
          );
        } catch (error) {
          throw new DatabaseError(error);
        }
      });
    try {
      await write(valid);
    } catch (error) {
      if (isRetriable(error) || valid.length === 0) throw error;
      for (const item of valid) {
        try {
          await write([item]);
        } catch (single) {
          if (isRetriable(single)) throw single;
          deadLetters.push(
            toDeadLetter(item.message, `database refused the message: ${(single as Error).message}`),
          );
        }
      }
    }
  }

  async function scoreNews(
    articles: readonly Valid<TopicMessages[typeof TOPICS.news]>[],
    context: BatchContext,
    deadLetters: OutgoingMessage[],
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
          deadLetters.push(
            toDeadLetter(article.message, `analytics refused the article: ${(error as Error).message}`),
          );
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

  return async (batch: MessageBatch, context: BatchContext) => {
    const topic = batch.topic;
    if (!isDataTopic(topic)) throw new ValidationError([`processing does not consume topic ${topic}`]);
    const at = now();
    const valid: Valid<unknown>[] = [];
    const deadLetters: OutgoingMessage[] = [];
    for (const message of batch.messages) {
      const decoded = decodeMessage(topic, message.value, at);
      if (decoded.ok) valid.push({ message, value: decoded.value });
      else deadLetters.push(toDeadLetter(message, decoded.reason, new Date(at)));
    }

    // decodeMessage(topic, …) gave values of this topic's type: its store takes them.
    const store = STORES[topic] as (client: PoolClient, values: readonly unknown[]) => Promise<unknown>;
    await storeIsolating(topic, valid, store, context, deadLetters);
    if (topic === TOPICS.news) {
      await scoreNews(valid as Valid<TopicMessages[typeof TOPICS.news]>[], context, deadLetters);
    }

    if (deadLetters.length > 0) {
      await retrying("publish dead letters", context, () =>
        deps.producer.send(deadLetterTopic(topic), deadLetters),
      );
      deps.logger.warn({ topic, count: deadLetters.length }, "messages sent to the dead-letter topic");
    }
    deps.metrics?.messages.inc({ topic, outcome: "stored" }, batch.messages.length - deadLetters.length);
    deps.metrics?.messages.inc({ topic, outcome: "dead_letter" }, deadLetters.length);
  };
}
