import { SENTIMENT_LABELS, type SentimentLabel } from "@hdp/shared";

/** One answer of a model against the truth. */
export interface LabelPair {
  readonly truth: SentimentLabel;
  readonly predicted: SentimentLabel;
}

/**
 * Counts by true label (rows) and predicted label (columns), both in
 * `SENTIMENT_LABELS` order: `matrix[0][2]` is negatives predicted positive.
 */
export type ConfusionMatrix = readonly (readonly number[])[];

/** How one label fares. Undefined ratios (nothing predicted, nothing true) count as 0. */
export interface LabelScores {
  /** Of the texts predicted this label, the share that truly are. */
  readonly precision: number;
  /** Of the texts truly this label, the share predicted so. */
  readonly recall: number;
  /** Harmonic mean of precision and recall. */
  readonly f1: number;
  /** Texts truly this label. */
  readonly support: number;
}

/** How a model's labels compare with the truth over a set of texts. */
export interface ClassificationMetrics {
  readonly n: number;
  readonly correct: number;
  /** `correct / n`. */
  readonly accuracy: number;
  /** Unweighted mean of the labels' F1: a model that never says one label cannot hide it. */
  readonly macroF1: number;
  readonly matrix: ConfusionMatrix;
  readonly perLabel: { readonly [L in SentimentLabel]: LabelScores };
}

/** `part / whole`, or 0 where there is no whole. */
function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** The confusion matrix of `pairs` (rows truth, columns predicted). */
export function confusionMatrix(pairs: readonly LabelPair[]): ConfusionMatrix {
  const matrix = SENTIMENT_LABELS.map(() => SENTIMENT_LABELS.map(() => 0));
  for (const { truth, predicted } of pairs) {
    matrix[SENTIMENT_LABELS.indexOf(truth)]![SENTIMENT_LABELS.indexOf(predicted)]! += 1;
  }
  return matrix;
}

/**
 * Accuracy, macro-F1, each label's precision and recall, and the confusion
 * matrix of a model's answers.
 *
 * @throws RangeError on no pairs: there is nothing to measure.
 */
export function classificationMetrics(pairs: readonly LabelPair[]): ClassificationMetrics {
  if (pairs.length === 0) throw new RangeError("no labelled texts to measure");
  const matrix = confusionMatrix(pairs);
  const cell = (truth: number, predicted: number) => matrix[truth]?.[predicted] ?? 0;
  const scores = SENTIMENT_LABELS.map((_, i): LabelScores => {
    const hits = cell(i, i);
    const support = SENTIMENT_LABELS.reduce((sum, _l, j) => sum + cell(i, j), 0);
    const predicted = SENTIMENT_LABELS.reduce((sum, _l, j) => sum + cell(j, i), 0);
    const precision = ratio(hits, predicted);
    const recall = ratio(hits, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  const correct = SENTIMENT_LABELS.reduce((sum, _l, i) => sum + cell(i, i), 0);
  return {
    n: pairs.length,
    correct,
    accuracy: correct / pairs.length,
    macroF1: scores.reduce((sum, s) => sum + s.f1, 0) / scores.length,
    matrix,
    perLabel: Object.fromEntries(SENTIMENT_LABELS.map((label, i) => [label, scores[i]!])) as {
      [L in SentimentLabel]: LabelScores;
    },
  };
}
