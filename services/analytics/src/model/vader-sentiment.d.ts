// The vader-sentiment package ships no types; this declares the part we use.
declare module "vader-sentiment" {
  /** Proportions of negative, neutral and positive text, and the normalised compound score. */
  export interface PolarityScores {
    readonly neg: number;
    readonly neu: number;
    readonly pos: number;
    /** In [-1, 1], rounded to 4 decimals. */
    readonly compound: number;
  }

  export const SentimentIntensityAnalyzer: {
    polarity_scores(text: string): PolarityScores;
  };
}
