import type { SentimentLabel } from "@hdp/shared";
import { createSentimentModel } from "../model/create-model.js";
import type { SentimentModel, SentimentModelName } from "../model/sentiment-model.js";
import { scoreArticles } from "../scoring.js";
import { classificationMetrics, type ClassificationMetrics } from "./classification-metrics.js";
import { EVAL_CATEGORIES, loadEvalSet, type EvalCategory, type EvalItem, type EvalPart } from "./eval-set.js";

/** Accuracy within one category of a part. */
export interface CategoryAccuracy {
  readonly category: EvalCategory;
  readonly n: number;
  readonly correct: number;
  readonly accuracy: number;
}

/** A model's answer on one headline: its label and score beside the truth. */
export interface Answer {
  readonly line: number;
  readonly category: EvalCategory;
  readonly headline: string;
  readonly truth: SentimentLabel;
  readonly predicted: SentimentLabel;
  readonly score: number;
}

/** How one model does on one part of the set. */
export interface PartEvaluation extends ClassificationMetrics {
  /** Name and version, e.g. `vader-finance@2`. */
  readonly model: string;
  readonly part: EvalPart;
  /** In `EVAL_CATEGORIES` order, the categories the part has. */
  readonly byCategory: readonly CategoryAccuracy[];
  /** The wrong answers, for the tuning part only (see `evaluatePart`). */
  readonly misses?: readonly Answer[];
}

/**
 * Scores a part's headlines as the service scores articles (`scoreArticles`:
 * the title as the text, the score clamped, `labelForScore`'s thresholds) and
 * measures the labels against the truth. The wrong answers are kept for the
 * tuning part only: held-out headlines are never shown, so never tuned on.
 */
export async function evaluatePart(
  model: SentimentModel,
  part: EvalPart,
  items: readonly EvalItem[],
): Promise<PartEvaluation> {
  const results = await scoreArticles(
    model,
    items.map((item) => ({ id: String(item.line), title: item.headline })),
  );
  const answers = items.map((item, i): Answer => ({
    line: item.line,
    category: item.category,
    headline: item.headline,
    truth: item.label,
    predicted: results[i]!.label,
    score: results[i]!.score,
  }));
  const byCategory = EVAL_CATEGORIES.flatMap((category): CategoryAccuracy[] => {
    const inCategory = answers.filter((a) => a.category === category);
    if (inCategory.length === 0) return [];
    const correct = inCategory.filter((a) => a.truth === a.predicted).length;
    return [{ category, n: inCategory.length, correct, accuracy: correct / inCategory.length }];
  });
  const misses = part === "tuning" ? answers.filter((a) => a.truth !== a.predicted) : undefined;
  return {
    model: model.name,
    part,
    ...classificationMetrics(answers),
    byCategory,
    ...(misses && { misses }),
  };
}

/** What to evaluate: models in this order, each on these parts. */
export interface SentimentEvalOptions {
  readonly models: readonly SentimentModelName[];
  readonly parts: readonly EvalPart[];
  /** Folder of the set. @default EVAL_SET_DIR */
  readonly dir?: string;
}

/**
 * Loads the evaluation set (both parts, so that a headline in both is always
 * refused) and evaluates each model on each part, models in the given order.
 *
 * @throws EvalSetError when the set's files are not valid.
 */
export async function runSentimentEval(options: SentimentEvalOptions): Promise<PartEvaluation[]> {
  const set = await loadEvalSet(options.dir);
  const evaluations: PartEvaluation[] = [];
  for (const name of options.models) {
    const model = createSentimentModel(name);
    await model.load();
    try {
      for (const part of options.parts) evaluations.push(await evaluatePart(model, part, set[part]));
    } finally {
      await model.close();
    }
  }
  return evaluations;
}
