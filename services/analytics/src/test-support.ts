import { createLogger } from "@hdp/shared";
import { buildApp, type AnalyticsApp } from "./app.js";
import type { SentimentModel } from "./model/sentiment-model.js";
import { createVaderFinanceModel } from "./model/vader-finance.js";

/** A model for route tests: fixed scores (cycled), a settable readiness, and a record of its calls. */
export interface FakeModel extends SentimentModel {
  ready: boolean;
  closed: boolean;
  readonly batches: string[][];
}

/** Builds a fake model that answers `scores` in turn (0 when none are given). */
export function createFakeModel(options: { scores?: readonly number[]; ready?: boolean } = {}): FakeModel {
  const scores = options.scores ?? [0];
  const model: FakeModel = {
    name: "fake@1",
    ready: options.ready ?? true,
    closed: false,
    batches: [],
    isReady: () => model.ready,
    load: async () => {
      model.ready = true;
    },
    score: async (texts) => {
      model.batches.push([...texts]);
      return texts.map((_text, i) => scores[i % scores.length] ?? 0);
    },
    close: async () => {
      model.closed = true;
    },
  };
  return model;
}

/** An app with a silent logger and, unless given another, the vader-finance model. */
export function buildTestApp(
  options: { model?: SentimentModel; bodyLimitBytes?: number } = {},
): AnalyticsApp {
  return buildApp({
    config: { bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024 },
    logger: createLogger({ service: "analytics-test", level: "silent" }),
    model: options.model ?? createVaderFinanceModel(),
  });
}
