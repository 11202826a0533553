import { labelForScore, type SentimentItem, type SentimentResult } from "@hdp/shared";
import type { SentimentModel } from "./model/sentiment-model.js";

/** Ends of a title after which no ". " is added before the description. */
const SENTENCE_END = /[.!?]$/;

/**
 * The text scored for an article: its title, then ". " and its description when
 * it has one (just a space when the title already ends a sentence, so that
 * "Soars!" does not become "Soars!.").
 */
export function articleText(item: SentimentItem): string {
  const title = item.title.trim();
  const description = item.description?.trim();
  if (!description) return title;
  return `${title}${SENTENCE_END.test(title) ? " " : ". "}${description}`;
}

/** The model answered with something other than one score per text. */
export class ModelOutputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelOutputError";
  }
}

/**
 * Scores a batch of articles with one model call and returns one result per
 * article, in request order.
 *
 * @throws ModelOutputError when the model answers with a different number of scores.
 */
export async function scoreArticles(
  model: SentimentModel,
  articles: readonly SentimentItem[],
): Promise<SentimentResult[]> {
  const scores = await model.score(articles.map(articleText));
  if (scores.length !== articles.length) {
    throw new ModelOutputError(
      `model ${model.name} returned ${scores.length} scores for ${articles.length} texts`,
    );
  }
  return articles.map((article, i) => {
    // Models promise [-1, 1]; clamping keeps the contract even if one drifts by a rounding error.
    const score = Math.min(1, Math.max(-1, scores[i] ?? 0));
    return { id: article.id, score, label: labelForScore(score), model: model.name };
  });
}
