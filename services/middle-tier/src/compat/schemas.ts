import { z } from "zod";
import { databaseUnavailableResponse, documented } from "../responses.js";

/** Shapes of the original Automated Data Pipeline API, kept field for field for its clients. */

/** 404 body of the compatibility routes (FastAPI's `HTTPException` shape), always with {@link NOT_FOUND_DETAIL}. */
export const detailSchema = z.object({ detail: z.string() });

/** The original API's one 404 text, whatever was not found. */
export const NOT_FOUND_DETAIL = "No information can be found with the provided parameters";

/** One invalid parameter as FastAPI (pydantic 2) reports it: where, what, why, and the value received. */
export const validationIssueSchema = z.object({
  type: z.string().meta({ example: "less_than_equal" }),
  loc: z.array(z.union([z.string(), z.number().int()])).meta({ example: ["query", "limit"] }),
  msg: z.string().meta({ example: "Input should be less than or equal to 100" }),
  input: z.unknown(),
  ctx: z.record(z.string(), z.unknown()).optional(),
});

/** 422 body of the compatibility routes: FastAPI's `HTTPValidationError`, one item per invalid parameter. */
export const validationErrorSchema = z.object({ detail: z.array(validationIssueSchema) });

/** The error answers every compatibility route documents besides its 200. */
export const COMPAT_ERROR_RESPONSES = {
  404: documented(detailSchema, `Nothing matches: \`{"detail": "${NOT_FOUND_DETAIL}"}\``),
  422: documented(
    validationErrorSchema,
    "A parameter is missing or invalid: one item per parameter, as FastAPI answers (type, loc, msg, input)",
  ),
  503: databaseUnavailableResponse,
} as const;

/** One element of `GET /marketData/oneMinute`. */
export const oneMinuteBarSchema = z.object({
  ticker: z.string(),
  high: z.number(),
  low: z.number(),
  open: z.number(),
  close: z.number(),
  volume: z.number(),
  /** Bar start, exchange-local wall-clock time `YYYY-MM-DDTHH:MM:SS` (ISO 8601 without an offset). */
  datetime: z.string().meta({ example: "2024-03-04T09:30:00" }),
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
    /** The whole text up to 256 characters; a longer one cut to 250, followed by `...`. */
    description: z.string().nullable(),
    publisher: z.string(),
    tickers: z.array(z.string()),
    keywords: z.array(z.string()),
    /** Publication, exchange-local wall-clock time `YYYY-MM-DDTHH:MM:SS` (ISO 8601 without an offset). */
    datetime: z.string().meta({ example: "2024-03-05T09:40:00" }),
    image_url: z.string().nullable(),
  }),
});
