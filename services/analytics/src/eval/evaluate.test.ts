import { SENTIMENT_MODEL_NAMES } from "../model/sentiment-model.js";
import { describe, expect, it } from "vitest";
import { createLexiconModel } from "../model/vader.js";
import type { EvalItem } from "./eval-set.js";
import { evaluatePart, runSentimentEval } from "./evaluate.js";

/** A model that answers each headline with the score the table gives it. */
function tableModel(scores: Record<string, number>) {
  return createLexiconModel("table@1", (text) => scores[text] ?? 0);
}

const ITEMS: EvalItem[] = [
  { headline: "Acme beats estimates", label: "positive", category: "earnings", line: 1 },
  { headline: "Acme misses estimates", label: "negative", category: "earnings", line: 2 },
  { headline: "Acme reports results", label: "neutral", category: "earnings", line: 3 },
  { headline: "Acme upgraded to buy", label: "positive", category: "ratings", line: 4 },
];

const MODEL = tableModel({
  "Acme beats estimates": 0.05, // the service's threshold: positive
  "Acme misses estimates": -0.049, // inside the neutral band
  "Acme reports results": 0,
  "Acme upgraded to buy": 1.7, // clamped to 1, as the service does
});

describe("evaluatePart", () => {
  it("labels by the service's thresholds and measures against the truth", async () => {
    const evaluation = await evaluatePart(MODEL, "tuning", ITEMS);
    expect(evaluation).toMatchObject({ model: "table@1", part: "tuning", n: 4, correct: 3, accuracy: 0.75 });
    expect(evaluation.matrix).toEqual([
      [0, 1, 0],
      [0, 1, 0],
      [0, 0, 2],
    ]);
  });

  it("gives each category's accuracy, in category order", async () => {
    const { byCategory } = await evaluatePart(MODEL, "tuning", ITEMS);
    expect(byCategory).toEqual([
      { category: "earnings", n: 3, correct: 2, accuracy: 2 / 3 },
      { category: "ratings", n: 1, correct: 1, accuracy: 1 },
    ]);
  });

  it("lists the tuning part's wrong answers with their scores", async () => {
    const { misses } = await evaluatePart(MODEL, "tuning", ITEMS);
    expect(misses).toEqual([
      {
        line: 2,
        category: "earnings",
        headline: "Acme misses estimates",
        truth: "negative",
        predicted: "neutral",
        score: -0.049,
      },
    ]);
  });

  it("never lists the held-out part's wrong answers", async () => {
    const evaluation = await evaluatePart(MODEL, "held-out", ITEMS);
    expect(evaluation.correct).toBe(3);
    expect(evaluation).not.toHaveProperty("misses");
  });
});

describe("runSentimentEval", () => {
  it("evaluates every model createSentimentModel offers on both parts of the real set", async () => {
    const evaluations = await runSentimentEval({
      models: SENTIMENT_MODEL_NAMES,
      parts: ["tuning", "held-out"],
    });
    expect(evaluations.map((e) => [e.model, e.part])).toEqual([
      ["vader-finance@2", "tuning"],
      ["vader-finance@2", "held-out"],
      ["vader@1", "tuning"],
      ["vader@1", "held-out"],
    ]);
    for (const e of evaluations) {
      expect(e.matrix.flat().reduce((a, b) => a + b, 0)).toBe(e.n);
      expect(e.byCategory).toHaveLength(12);
    }
  });
});
