import { z } from "zod";
import { SENTIMENT_LABELS } from "./sentiment-api.js";

/**
 * Response shapes of the middle-tier's `/v1` API, shared by the API (validation,
 * serialisation, OpenAPI) and the web page (typed fetches).
 */

/** `GET /v1/tickers`: each ticker with its last price and the change on its latest trading day. */
export const tickerSummarySchema = z.object({
  ticker: z.string(),
  /** Exchange date (`YYYY-MM-DD`, America/New_York) of the latest bar. */
  date: z.string(),
  lastPrice: z.number(),
  /** Last price minus the previous trading day's last close; null without one. */
  change: z.number().nullable(),
  changePercent: z.number().nullable(),
  /** Start of the latest bar, UTC. */
  lastBarAt: z.iso.datetime(),
});

/** One bar with its EMA9 as the API returns it. */
export const candleSchema = z.object({
  /** Bar start, UTC instant. */
  t: z.iso.datetime(),
  open: z.number(),
  high: z.number(),
  low: z.number(),
  close: z.number(),
  volume: z.number(),
  /** Null for the first eight bars of a series. */
  ema9: z.number().nullable(),
});

/** `GET /v1/candles`: the bars of one ticker, oldest first. */
export const candlesResponseSchema = z.object({
  ticker: z.string(),
  /** The exchange date answered (the latest trading day with data when none was asked). */
  date: z.string().nullable(),
  candles: z.array(candleSchema),
});

/** One article with its sentiment for the ticker asked about. */
export const newsItemSchema = z.object({
  id: z.string(),
  publishedAt: z.iso.datetime(),
  title: z.string(),
  author: z.string().nullable(),
  url: z.string(),
  description: z.string().nullable(),
  publisher: z.string(),
  tickers: z.array(z.string()),
  keywords: z.array(z.string()),
  imageUrl: z.string().nullable(),
  /** Null until the article is scored. */
  sentiment: z.object({ score: z.number(), label: z.enum(SENTIMENT_LABELS), model: z.string() }).nullable(),
});

/** `GET /v1/news`: newest first, with an opaque cursor for the next page (null on the last). */
export const newsPageSchema = z.object({
  ticker: z.string(),
  items: z.array(newsItemSchema),
  nextCursor: z.string().nullable(),
});

/** `GET /v1/stream` Server-Sent Events: `event: bar` / `event: news`, data as below. */
export const streamBarEventSchema = candleSchema.extend({ ticker: z.string() });
export const streamNewsEventSchema = newsItemSchema.extend({ ticker: z.string() });

export type TickerSummary = z.infer<typeof tickerSummarySchema>;
export type Candle = z.infer<typeof candleSchema>;
export type CandlesResponse = z.infer<typeof candlesResponseSchema>;
export type NewsItem = z.infer<typeof newsItemSchema>;
export type NewsPage = z.infer<typeof newsPageSchema>;
