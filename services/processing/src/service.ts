import { ALL_TOPICS, createPool, migrate, type BusConsumer, type Logger, type MessageBus } from "@hdp/shared";
import { startHealthServer } from "./health-server.js";
import { createProcessingMetrics, type ProcessingMetrics } from "./metrics.js";
import { createAnalyticsClient, type SentimentScorer } from "./news/analytics-client.js";
import { CONSUMED_TOPICS, createBatchHandler } from "./processor.js";

export interface ProcessingServiceOptions {
  readonly databaseUrl: string;
  readonly bus: MessageBus;
  readonly logger: Logger;
  readonly groupId?: string;
  readonly analyticsUrl?: string;
  readonly analyticsTimeoutMs?: number;
  readonly analyticsBatchSize?: number;
  /** Replaces the HTTP analytics client (e.g. an in-process model). */
  readonly scorer?: SentimentScorer;
  readonly poolSize?: number;
  readonly migrateOnStart?: boolean;
  /** The service clock (ms since the epoch): future-instant rule, bar freshness, dead letters. @default Date.now */
  readonly now?: () => number;
  /** Health and metrics endpoints; none when omitted. */
  readonly health?: { readonly host: string; readonly port: number };
}

export interface ProcessingService {
  /** The service's Prometheus metrics (also served on `/metrics` when health is on). */
  readonly metrics: ProcessingMetrics;
  /** Health endpoint base URL when one was asked for. */
  readonly healthUrl: string | undefined;
  /** Settles when the consumer stops; rejects if it crashed. */
  readonly done: Promise<void>;
  /** Finishes the batch in hand, commits, disconnects and closes the pool. */
  stop(): Promise<void>;
}

/** Starts the processing consumer group with its database pool and health endpoints. */
export async function startProcessingService(options: ProcessingServiceOptions): Promise<ProcessingService> {
  const { logger, bus } = options;
  if (options.migrateOnStart ?? true) await migrate({ databaseUrl: options.databaseUrl, logger });
  const pool = createPool(options.databaseUrl, { max: options.poolSize ?? 5, applicationName: "processing" });
  pool.on("error", (error) => logger.warn({ err: error }, "database connection failed"));
  const metrics = createProcessingMetrics();
  await bus.ensureTopics(ALL_TOPICS);
  const producer = await bus.producer();
  const scorer =
    options.scorer ??
    createAnalyticsClient({
      baseUrl: options.analyticsUrl ?? "http://127.0.0.1:8082",
      metrics,
      ...(options.analyticsTimeoutMs ? { timeoutMs: options.analyticsTimeoutMs } : {}),
      ...(options.analyticsBatchSize ? { batchSize: options.analyticsBatchSize } : {}),
    });
  let consumer: BusConsumer | undefined;
  consumer = await bus.consume({
    groupId: options.groupId ?? "processing",
    topics: CONSUMED_TOPICS,
    handleBatch: createBatchHandler({ pool, producer, scorer, logger, metrics, now: options.now }),
  });
  const health = options.health
    ? await startHealthServer({
        ...options.health,
        registry: metrics.registry,
        ready: async () => consumer !== undefined && (await pool.query("SELECT 1")).rowCount === 1,
      })
    : undefined;
  logger.info({ topics: CONSUMED_TOPICS, health: health?.url }, "processing: consuming");

  let stopping: Promise<void> | undefined;
  return {
    metrics,
    healthUrl: health?.url,
    done: consumer.done,
    stop() {
      stopping ??= (async () => {
        await consumer?.stop();
        consumer = undefined;
        await producer.close();
        await health?.close();
        await pool.end();
        logger.info("processing: stopped");
      })();
      return stopping;
    },
  };
}
