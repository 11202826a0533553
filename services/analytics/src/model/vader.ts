import { SentimentIntensityAnalyzer } from "vader-sentiment";
import type { SentimentModel } from "./sentiment-model.js";

/** Compound VADER score of one text, in [-1, 1], by the unmodified library. */
export function vaderCompound(text: string): number {
  return SentimentIntensityAnalyzer.polarity_scores(text).compound;
}

/**
 * Builds a lexicon model: nothing to load, always ready, scores each text with
 * `scoreText`. The version in `name` is ours: bump it when scores change.
 */
export function createLexiconModel(name: string, scoreText: (text: string) => number): SentimentModel {
  return {
    name,
    isReady: () => true,
    load: async () => {},
    score: async (texts) => texts.map(scoreText),
    close: async () => {},
  };
}

/** Plain VADER (Hutto & Gilbert, 2014) via the `vader-sentiment` package. */
export function createVaderModel(): SentimentModel {
  return createLexiconModel("vader@1", vaderCompound);
}
