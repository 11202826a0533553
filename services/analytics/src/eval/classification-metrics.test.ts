import type { SentimentLabel } from "@hdp/shared";
import { describe, expect, it } from "vitest";
import { classificationMetrics, confusionMatrix, type LabelPair } from "./classification-metrics.js";

/** Pairs from `truth predicted` words: "negative neutral" is a negative predicted neutral. */
function pairs(...cases: `${SentimentLabel} ${SentimentLabel}`[]): LabelPair[] {
  return cases.map((c) => {
    const [truth, predicted] = c.split(" ") as [SentimentLabel, SentimentLabel];
    return { truth, predicted };
  });
}

// 7 answers: rows truth, columns predicted, both negative, neutral, positive.
//   negative  2 1 0
//   neutral   0 1 1
//   positive  1 0 1
const SEVEN = pairs(
  "negative negative",
  "negative negative",
  "negative neutral",
  "neutral neutral",
  "neutral positive",
  "positive positive",
  "positive negative",
);

describe("confusionMatrix", () => {
  it("counts answers by true label in rows and predicted label in columns", () => {
    expect(confusionMatrix(SEVEN)).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [1, 0, 1],
    ]);
  });

  it("is all zeros for no answers", () => {
    expect(confusionMatrix([])).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });
});

describe("classificationMetrics", () => {
  it("gives accuracy as the diagonal over all answers", () => {
    const metrics = classificationMetrics(SEVEN);
    expect(metrics.n).toBe(7);
    expect(metrics.correct).toBe(4);
    expect(metrics.accuracy).toBeCloseTo(4 / 7, 12);
  });

  it("gives each label's precision by column and recall by row", () => {
    const { perLabel } = classificationMetrics(SEVEN);
    // negative: 2 right of 3 predicted (column) and of 3 true (row).
    expect(perLabel.negative.precision).toBeCloseTo(2 / 3, 12);
    expect(perLabel.negative.recall).toBeCloseTo(2 / 3, 12);
    expect(perLabel.negative.f1).toBeCloseTo(2 / 3, 12);
    expect(perLabel.negative.support).toBe(3);
    // neutral: 1 right of 2 predicted and of 2 true; positive likewise.
    expect(perLabel.neutral).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(perLabel.positive).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
  });

  it("gives macro-F1 as the plain mean of the labels' F1", () => {
    expect(classificationMetrics(SEVEN).macroF1).toBeCloseTo((2 / 3 + 0.5 + 0.5) / 3, 12);
  });

  it("counts a label never predicted at precision 0, and macro-F1 shows it", () => {
    const metrics = classificationMetrics(pairs("negative neutral", "neutral neutral", "positive neutral"));
    expect(metrics.accuracy).toBeCloseTo(1 / 3, 12);
    expect(metrics.perLabel.negative).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    // neutral: precision 1/3, recall 1, F1 = 2 * (1/3) / (4/3) = 1/2.
    expect(metrics.perLabel.neutral.f1).toBeCloseTo(0.5, 12);
    expect(metrics.macroF1).toBeCloseTo(0.5 / 3, 12);
  });

  it("counts a label with no true texts at recall 0", () => {
    const { perLabel } = classificationMetrics(pairs("negative positive", "neutral neutral"));
    expect(perLabel.positive).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
  });

  it("gives 1 everywhere for perfect answers", () => {
    const metrics = classificationMetrics(pairs("negative negative", "neutral neutral", "positive positive"));
    expect(metrics.accuracy).toBe(1);
    expect(metrics.macroF1).toBe(1);
  });

  it("refuses to measure no answers", () => {
    expect(() => classificationMetrics([])).toThrow(RangeError);
  });
});
