import { Counter, Registry, collectDefaultMetrics } from "prom-client";

/** Prometheus metrics of the processing service. */
export interface ProcessingMetrics {
  readonly registry: Registry;
  /** Messages handled, by topic and outcome (`stored` or `dead_letter`). */
  readonly messages: Counter<"topic" | "outcome">;
  /** Articles scored through analytics. */
  readonly articlesScored: Counter;
  /** Retries of a passing failure, by operation. */
  readonly retries: Counter<"operation">;
}

/** Creates the metrics on a registry of their own (many instances can live in one test process). */
export function createProcessingMetrics(): ProcessingMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    messages: new Counter({
      name: "processing_messages_total",
      help: "Messages handled, by topic and outcome",
      labelNames: ["topic", "outcome"],
      registers: [registry],
    }),
    articlesScored: new Counter({
      name: "processing_articles_scored_total",
      help: "Articles scored through the analytics service",
      registers: [registry],
    }),
    retries: new Counter({
      name: "processing_retries_total",
      help: "Retries of a passing failure, by operation",
      labelNames: ["operation"],
      registers: [registry],
    }),
  };
}
