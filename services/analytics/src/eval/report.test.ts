import { describe, expect, it } from "vitest";
import { classificationMetrics } from "./classification-metrics.js";
import type { PartEvaluation } from "./evaluate.js";
import { renderAccuracySummary, renderPartEvaluation } from "./report.js";

const EVALUATION: PartEvaluation = {
  model: "table@1",
  part: "tuning",
  ...classificationMetrics([
    { truth: "negative", predicted: "negative" },
    { truth: "neutral", predicted: "positive" },
    { truth: "positive", predicted: "positive" },
    { truth: "positive", predicted: "positive" },
  ]),
  byCategory: [{ category: "earnings", n: 4, correct: 3, accuracy: 0.75 }],
  misses: [
    {
      line: 7,
      category: "earnings",
      headline: "Acme reports results",
      truth: "neutral",
      predicted: "positive",
      score: 0.4019,
    },
  ],
};

describe("renderPartEvaluation", () => {
  const text = renderPartEvaluation(EVALUATION, { misses: true });

  // F1: negative 1, neutral 0, positive 0.8, so macro-F1 (1 + 0 + 0.8) / 3 = 0.6.
  it("heads the block with the model, the part, accuracy and macro-F1", () => {
    expect(text).toMatch(
      /^table@1 on the tuning part: 4 headlines\n {2}accuracy 0\.750 \(3 of 4 right\), macro-F1 0\.600\n/,
    );
  });

  it("prints the confusion matrix with truth in rows and predictions in columns", () => {
    expect(text).toContain(
      [
        "  truth \\ predicted  negative  neutral  positive",
        "  negative                  1        0         0",
        "  neutral                   0        0         1",
        "  positive                  0        0         2",
      ].join("\n"),
    );
  });

  it("prints each label's precision, recall, F1 and count", () => {
    expect(text).toContain("  neutral       0.000   0.000  0.000  1");
    expect(text).toContain("  positive      0.667   1.000  0.800  2");
  });

  it("prints each category's accuracy", () => {
    expect(text).toContain("  category  n  accuracy\n  earnings  4     0.750");
  });

  it("lists the wrong answers only when asked", () => {
    expect(text).toContain("    line 7 [earnings] neutral as positive (0.4019): Acme reports results");
    expect(renderPartEvaluation(EVALUATION, { misses: false })).not.toContain("Acme reports results");
  });
});

describe("renderAccuracySummary", () => {
  it("gives one row a model, one column a part, a dash where a part was not run", () => {
    const other = { ...EVALUATION, model: "other@1", part: "held-out" as const };
    expect(renderAccuracySummary([EVALUATION, other])).toBe(
      [
        "accuracy",
        "  model         tuning     held-out",
        "  table@1  0.750 (n=4)            -",
        "  other@1            -  0.750 (n=4)",
      ].join("\n"),
    );
  });
});
