import { z } from "zod";

/** Shapes of the original Automated Data Pipeline API, kept field for field for its clients. */

/** 404 body of the compatibility routes (FastAPI's `HTTPException` shape). */
export const detailSchema = z.object({ detail: z.string() });

/** One element of `GET /marketData/oneMinute`. */
export const oneMinuteBarSchema = z.object({
  ticker: z.string(),
  high: z.number(),
  low: z.number(),
  open: z.number(),
  close: z.number(),
  volume: z.number(),
  /** Bar start, exchange-local wall-clock time `YYYY-MM-DD HH:MM:SS`. */
  datetime: z.string(),
  EMA9: z.number().nullable(),
});

/** Labels as the original API spells them. */
export const COMPAT_SENTIMENT_LABELS = ["Negative", "Neutral", "Positive"] as const;

/** One element of `GET /news/description`. */
export const newsDescriptionSchema = z.object({
  news_sentiment: z.object({
    ticker: z.string(),
    compound_influence_score: z.number(),
    sentiment_score: z.enum(COMPAT_SENTIMENT_LABELS),
  }),
  news_sentiment_description: z.object({
    id: z.string(),
    title: z.string(),
    author: z.string().nullable(),
    article_url: z.string(),
    /** The first 250 characters followed by `...`. */
    description: z.string().nullable(),
    publisher: z.string(),
    tickers: z.array(z.string()),
    keywords: z.array(z.string()),
    /** Publication, exchange-local wall-clock time `YYYY-MM-DD HH:MM:SS`. */
    datetime: z.string(),
    image_url: z.string().nullable(),
  }),
});
