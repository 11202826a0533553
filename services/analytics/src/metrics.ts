import { Counter, Gauge, Registry } from "prom-client";
import { SENTIMENT_LABELS, type SentimentResult } from "@hdp/shared";
import type { SentimentModel } from "./model/sentiment-model.js";

/**
 * The service's Prometheus metrics, in a registry of their own (one per app); the
 * HTTP request metrics join it in `registerHttpMetrics`.
 */
export interface AppMetrics {
  readonly registry: Registry;
  readonly articlesScored: Counter<"model">;
  readonly sentimentLabels: Counter<"model" | "label">;
}

/** Creates the metrics of one app; the model's readiness is read at each scrape. */
export function createMetrics(model: SentimentModel): AppMetrics {
  const registry = new Registry();
  const registers = [registry];
  const metrics: AppMetrics = {
    registry,
    articlesScored: new Counter({
      name: "sentiment_articles_scored_total",
      help: "Articles scored, by model.",
      labelNames: ["model"],
      registers,
    }),
    sentimentLabels: new Counter({
      name: "sentiment_labels_total",
      help: "Scored articles by label and model.",
      labelNames: ["model", "label"],
      registers,
    }),
  };
  new Gauge({
    name: "sentiment_model_ready",
    help: "1 when the sentiment model can score, else 0.",
    labelNames: ["model"],
    registers,
    collect() {
      this.set({ model: model.name }, model.isReady() ? 1 : 0);
    },
  });
  // Every label shows from the start, at 0, so that rates work before the first article of a kind.
  for (const label of SENTIMENT_LABELS) metrics.sentimentLabels.inc({ model: model.name, label }, 0);
  metrics.articlesScored.inc({ model: model.name }, 0);
  return metrics;
}

/** Counts a batch of results. */
export function recordResults(metrics: AppMetrics, results: readonly SentimentResult[]): void {
  for (const result of results) {
    metrics.articlesScored.inc({ model: result.model });
    metrics.sentimentLabels.inc({ model: result.model, label: result.label });
  }
}
