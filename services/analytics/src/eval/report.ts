import { SENTIMENT_LABELS } from "@hdp/shared";
import { EVAL_PARTS } from "./eval-set.js";
import type { PartEvaluation } from "./evaluate.js";

/** A ratio with three decimals, as every figure of the report. */
const fixed = (value: number) => value.toFixed(3);

/** Rows of cells as text columns: the first left-aligned, the others right-aligned. */
function table(rows: readonly (readonly string[])[], indent = "  "): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]?.length ?? 0)));
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join("  ")
        .trimEnd(),
  );
}

/** One model on one part: accuracy, the confusion matrix, each label's scores and each category's accuracy. */
export function renderPartEvaluation(evaluation: PartEvaluation, options: { misses: boolean }): string {
  const { model, part, n, correct, accuracy, macroF1, matrix, perLabel, byCategory } = evaluation;
  const lines = [
    `${model} on the ${part} part: ${n} headlines`,
    `  accuracy ${fixed(accuracy)} (${correct} of ${n} right), macro-F1 ${fixed(macroF1)}`,
    "",
    ...table([
      ["truth \\ predicted", ...SENTIMENT_LABELS],
      ...SENTIMENT_LABELS.map((label, i) => [label, ...(matrix[i] ?? []).map(String)]),
    ]),
    "",
    ...table([
      ["label", "precision", "recall", "F1", "n"],
      ...SENTIMENT_LABELS.map((label) => {
        const s = perLabel[label];
        return [label, fixed(s.precision), fixed(s.recall), fixed(s.f1), String(s.support)];
      }),
    ]),
    "",
    ...table([
      ["category", "n", "accuracy"],
      ...byCategory.map((c) => [c.category, String(c.n), fixed(c.accuracy)]),
    ]),
  ];
  if (options.misses && evaluation.misses) {
    lines.push("", `  wrong answers (${evaluation.misses.length}):`);
    for (const m of evaluation.misses) {
      const score = m.score.toFixed(4);
      lines.push(`    line ${m.line} [${m.category}] ${m.truth} as ${m.predicted} (${score}): ${m.headline}`);
    }
  }
  return lines.join("\n");
}

/** Each model's accuracy on each part it was evaluated on, one row a model. */
export function renderAccuracySummary(evaluations: readonly PartEvaluation[]): string {
  const parts = EVAL_PARTS.filter((part) => evaluations.some((e) => e.part === part));
  const models = [...new Set(evaluations.map((e) => e.model))];
  const cellOf = (model: string, part: string) => {
    const found = evaluations.find((e) => e.model === model && e.part === part);
    return found ? `${fixed(found.accuracy)} (n=${found.n})` : "-";
  };
  return [
    "accuracy",
    ...table([["model", ...parts], ...models.map((model) => [model, ...parts.map((p) => cellOf(model, p))])]),
  ].join("\n");
}

/**
 * The whole report: every evaluation, then the summary. With `misses`, the
 * tuning part's wrong answers follow its tables.
 */
export function renderSentimentEval(
  evaluations: readonly PartEvaluation[],
  options: { misses: boolean } = { misses: false },
): string {
  return [...evaluations.map((e) => renderPartEvaluation(e, options)), renderAccuracySummary(evaluations)]
    .map((block) => `${block}\n`)
    .join("\n");
}
