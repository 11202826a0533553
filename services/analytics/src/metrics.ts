import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { SENTIMENT_LABELS, type SentimentResult } from "@hdp/shared";
import type { SentimentModel } from "./model/sentiment-model.js";
import { ModelOutputError } from "./scoring.js";

/**
 * Why a request's batch was not scored (the `reason` label of
 * `sentiment_scoring_failures_total`): the model was still loading (503), the model
 * threw (500), or it answered with the wrong number of scores (500).
 */
export const SCORING_FAILURE_REASONS = ["not_ready", "model_error", "invalid_output"] as const;
export type ScoringFailureReason = (typeof SCORING_FAILURE_REASONS)[number];

/** Upper bounds of the scoring histogram, in seconds: a lexicon model takes milliseconds, a network more. */
const SCORING_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's Prometheus metrics, in a registry of their own (one per app); the
 * HTTP request metrics join it in `registerHttpMetrics`.
 */
export interface AppMetrics {
  readonly registry: Registry;
  readonly articlesScored: Counter<"model">;
  readonly sentimentLabels: Counter<"model" | "label">;
  /** Seconds the model took to score one request's batch, by model. */
  readonly scoringDuration: Histogram<"model">;
  /** Requests whose batch was not scored, by model and reason (SCORING_FAILURE_REASONS). */
  readonly scoringFailures: Counter<"model" | "reason">;
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
    scoringDuration: new Histogram({
      name: "sentiment_scoring_duration_seconds",
      help: "Seconds the model took to score one request's batch, by model.",
      labelNames: ["model"],
      buckets: SCORING_BUCKETS,
      registers,
    }),
    scoringFailures: new Counter({
      name: "sentiment_scoring_failures_total",
      help: "Requests whose batch was not scored, by model and reason.",
      labelNames: ["model", "reason"],
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
  metrics.scoringDuration.zero({ model: model.name });
  for (const reason of SCORING_FAILURE_REASONS) metrics.scoringFailures.inc({ model: model.name, reason }, 0);
  return metrics;
}

/**
 * Runs one batch's scoring, timing it under the model's name; a failure is counted
 * by reason (a wrong number of scores is `invalid_output`, anything else the model
 * throws is `model_error`) and thrown on.
 */
export async function timeScoring<T>(
  metrics: AppMetrics,
  model: string,
  score: () => Promise<T>,
): Promise<T> {
  const stop = metrics.scoringDuration.startTimer({ model });
  try {
    return await score();
  } catch (error) {
    const reason: ScoringFailureReason = error instanceof ModelOutputError ? "invalid_output" : "model_error";
    metrics.scoringFailures.inc({ model, reason });
    throw error;
  } finally {
    stop();
  }
}

/** Counts a batch of results. */
export function recordResults(metrics: AppMetrics, results: readonly SentimentResult[]): void {
  for (const result of results) {
    metrics.articlesScored.inc({ model: result.model });
    metrics.sentimentLabels.inc({ model: result.model, label: result.label });
  }
}
