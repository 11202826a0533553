import { DEAD_LETTER_REASONS, type Bar, type DataTopic } from "@hdp/shared";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Why a request to analytics failed (the `reason` label of `processing_analytics_failures_total`). */
export const ANALYTICS_FAILURE_REASONS = [
  "timeout",
  "unreachable",
  "http_error",
  "invalid_response",
] as const;
export type AnalyticsFailureReason = (typeof ANALYTICS_FAILURE_REASONS)[number];

/** Upper bounds of the freshness histogram, in seconds (5 s to an hour). */
export const FRESHNESS_BUCKETS = [5, 10, 15, 30, 45, 60, 90, 120, 180, 300, 600, 1800, 3600];

/** Upper bounds of the analytics request histogram, in seconds. */
const ANALYTICS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Prometheus metrics of the processing service. */
export interface ProcessingMetrics {
  readonly registry: Registry;
  /** Messages handled, by topic and outcome (`stored` or `dead_letter`). */
  readonly messages: Counter<"topic" | "outcome">;
  /** Articles scored through analytics. */
  readonly articlesScored: Counter;
  /** Retries of a passing failure, by operation. */
  readonly retries: Counter<"operation">;
  /** Bars inserted or changed, by the bar's `source`. */
  readonly barsStored: Counter<"source">;
  /** Articles stored for the first time. */
  readonly articlesStored: Counter;
  /** Sensor readings inserted or changed. */
  readonly readingsStored: Counter;
  /** Seconds from a bar's end (start + 60 s) to its transaction's commit, by source. */
  readonly barFreshness: Histogram<"source">;
  /** Dead letters recorded (once per message), by the topic read from and category. */
  readonly deadLetters: Counter<"topic" | "reason">;
  /** Requests to analytics, by outcome (`ok` or `error`). */
  readonly analyticsDuration: Histogram<"outcome">;
  /** Failed requests to analytics, by reason (ANALYTICS_FAILURE_REASONS). */
  readonly analyticsFailures: Counter<"reason">;
  /** Messages behind the partition's high watermark after the last batch taken. */
  readonly consumerLag: Gauge<"topic" | "partition">;
}

/**
 * Creates the metrics on a registry of their own (many instances can live in one
 * test process). The analytics series start at 0 here, those per topic in
 * `startSeries` (the batch handler calls it with its topics).
 */
export function createProcessingMetrics(): ProcessingMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const metrics: ProcessingMetrics = {
    registry,
    messages: new Counter({
      name: "processing_messages_total",
      help: "Messages handled, by topic and outcome",
      labelNames: ["topic", "outcome"],
      registers,
    }),
    articlesScored: new Counter({
      name: "processing_articles_scored_total",
      help: "Articles scored through the analytics service",
      registers,
    }),
    retries: new Counter({
      name: "processing_retries_total",
      help: "Retries of a passing failure, by operation",
      labelNames: ["operation"],
      registers,
    }),
    barsStored: new Counter({
      name: "processing_bars_stored_total",
      help: "Bars inserted or changed, by the bar's source (a replayed bar counts nothing)",
      labelNames: ["source"],
      registers,
    }),
    articlesStored: new Counter({
      name: "processing_articles_stored_total",
      help: "Articles stored for the first time",
      registers,
    }),
    readingsStored: new Counter({
      name: "processing_readings_stored_total",
      help: "Sensor readings inserted or changed",
      registers,
    }),
    barFreshness: new Histogram({
      name: "processing_bar_freshness_seconds",
      help: "Seconds from a bar's end (start + 60 s) to the commit that stored it, by source",
      labelNames: ["source"],
      buckets: FRESHNESS_BUCKETS,
      registers,
    }),
    deadLetters: new Counter({
      name: "processing_dead_letters_total",
      help: "Messages parked in a dead-letter topic (once per message), by topic read from and reason",
      labelNames: ["topic", "reason"],
      registers,
    }),
    analyticsDuration: new Histogram({
      name: "processing_analytics_request_duration_seconds",
      help: "Requests to the analytics service, by outcome (ok or error)",
      labelNames: ["outcome"],
      buckets: ANALYTICS_BUCKETS,
      registers,
    }),
    analyticsFailures: new Counter({
      name: "processing_analytics_failures_total",
      help: "Failed requests to the analytics service, by reason",
      labelNames: ["reason"],
      registers,
    }),
    consumerLag: new Gauge({
      name: "processing_consumer_lag",
      help: "Messages behind the partition's high watermark after the last batch processing took",
      labelNames: ["topic", "partition"],
      registers,
    }),
  };
  for (const reason of ANALYTICS_FAILURE_REASONS) metrics.analyticsFailures.inc({ reason }, 0);
  for (const outcome of ["ok", "error"]) metrics.analyticsDuration.zero({ outcome });
  return metrics;
}

/**
 * Shows the bounded series of `topics` and retry `operations` at 0, so that rates
 * and "any dead letter in 15 minutes" work before the first event. Idempotent.
 */
export function startSeries(
  metrics: ProcessingMetrics,
  topics: readonly DataTopic[],
  operations: readonly string[],
): void {
  for (const topic of topics) {
    for (const reason of DEAD_LETTER_REASONS) metrics.deadLetters.inc({ topic, reason }, 0);
    for (const outcome of ["stored", "dead_letter"]) metrics.messages.inc({ topic, outcome }, 0);
  }
  for (const operation of operations) metrics.retries.inc({ operation }, 0);
}

/** A one-minute bar ends a minute after it starts. */
const BAR_LENGTH_MS = 60_000;

/**
 * Counts the bars a commit stored and observes each one's freshness: seconds from
 * the bar's end to `committedAt` (ms since the epoch, the service clock). A bar
 * stored before its end (a clock a little ahead) counts as 0 s.
 */
export function recordStoredBars(
  metrics: ProcessingMetrics,
  stored: readonly Pick<Bar, "start" | "source">[],
  committedAt: number,
): void {
  for (const bar of stored) {
    metrics.barsStored.inc({ source: bar.source });
    const age = (committedAt - Date.parse(bar.start) - BAR_LENGTH_MS) / 1000;
    metrics.barFreshness.observe({ source: bar.source }, Math.max(0, age));
  }
}
