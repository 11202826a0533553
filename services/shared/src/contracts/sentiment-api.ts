import { z } from "zod";

/** Largest batch `POST /v1/sentiment` accepts. */
export const MAX_SENTIMENT_BATCH = 256;

/** Sentiment labels, by compound-score thresholds at ±0.05. */
export const SENTIMENT_LABELS = ["negative", "neutral", "positive"] as const;
export type SentimentLabel = (typeof SENTIMENT_LABELS)[number];

/** Threshold on the compound score between neutral and a polar label (VADER's convention). */
export const SENTIMENT_THRESHOLD = 0.05;

/** Label for a compound score: ≥ 0.05 positive, ≤ -0.05 negative, else neutral. */
export function labelForScore(score: number): SentimentLabel {
  if (score >= SENTIMENT_THRESHOLD) return "positive";
  if (score <= -SENTIMENT_THRESHOLD) return "negative";
  return "neutral";
}

/** One article to score: its id and its text. */
export const sentimentItemSchema = z.object({
  id: z.string().min(1).max(200),
  title: z.string().min(1).max(1000),
  description: z.string().max(20_000).nullable().optional(),
});

/** Body of `POST /v1/sentiment`. */
export const sentimentRequestSchema = z.object({
  articles: z.array(sentimentItemSchema).min(1).max(MAX_SENTIMENT_BATCH),
});

/** One scored article. */
export const sentimentResultSchema = z.object({
  id: z.string(),
  /** Compound score in [-1, 1]. */
  score: z.number().min(-1).max(1),
  label: z.enum(SENTIMENT_LABELS),
  /** Name and version of the model that scored it, e.g. `vader-finance@2`. */
  model: z.string(),
});

/** Answer of `POST /v1/sentiment`: one result per requested article, in request order. */
export const sentimentResponseSchema = z.object({
  results: z.array(sentimentResultSchema),
});

export type SentimentItem = z.infer<typeof sentimentItemSchema>;
export type SentimentRequest = z.infer<typeof sentimentRequestSchema>;
export type SentimentResult = z.infer<typeof sentimentResultSchema>;
export type SentimentResponse = z.infer<typeof sentimentResponseSchema>;
