import { createLogger, type BatchContext, type MessageBatch, type SentimentItem } from "@hdp/shared";
import type { Registry } from "prom-client";
import type { SentimentScorer } from "./news/analytics-client.js";

/** A logger that writes nothing. */
export const silentLogger = createLogger({ service: "processing-test", level: "silent" });

/** A batch context that is never aborted. */
export function batchContext(): BatchContext {
  return { signal: new AbortController().signal, heartbeat: async () => {} };
}

/**
 * A batch of `values` (objects are sent as JSON, strings as they are) on partition 0
 * of `topic`, from offset `from` on.
 */
export function batchOf(
  topic: string,
  values: readonly unknown[],
  options: { from?: number; highWatermark?: string } = {},
): MessageBatch {
  const from = options.from ?? 0;
  return {
    topic,
    partition: 0,
    ...(options.highWatermark === undefined ? {} : { highWatermark: options.highWatermark }),
    messages: values.map((value, i) => ({
      topic,
      partition: 0,
      offset: String(from + i),
      key: null,
      value: Buffer.from(typeof value === "string" ? value : JSON.stringify(value)),
    })),
  };
}

/** A scorer that calls every article neutral, as model `stub@1`. */
export function neutralScorer(): SentimentScorer {
  return {
    async score(items: readonly SentimentItem[]) {
      return items.map((i) => ({ id: i.id, score: 0, label: "neutral" as const, model: "stub@1" }));
    },
  };
}

/**
 * The value of one series of a metric in `registry` (a histogram's series are named
 * `<name>_bucket`, `_sum`, `_count`; `le` goes into `labels`), or undefined when the
 * series does not exist.
 */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string | number> = {},
  series: string = name,
): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name} in the registry`);
  const { values } = await metric.get();
  const wanted = Object.entries(labels);
  // Histograms name each value's series; the type says only `MetricValue`.
  const found = (values as { metricName?: string; labels: object; value: number }[]).find(
    (v) =>
      (v.metricName ?? name) === series &&
      Object.keys(v.labels).length === wanted.length &&
      wanted.every(([key, value]) => String((v.labels as Record<string, unknown>)[key]) === String(value)),
  );
  return found?.value;
}
