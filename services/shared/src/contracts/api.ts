import { z } from "zod";
import { SENTIMENT_LABELS } from "./sentiment-api.js";

/**
 * Response shapes of the middle-tier's `/v1` API, shared by the API (validation,
 * serialisation, OpenAPI) and the web page (typed fetches).
 */

/**
 * `GET /v1/tickers`: each ticker with its last price and the change on its latest trading day
 * (with `?date=`, as of the end of that exchange day).
 */
export const tickerSummarySchema = z.object({
  ticker: z.string(),
  /** Exchange date (`YYYY-MM-DD`, America/New_York) of the latest bar. */
  date: z.string(),
  lastPrice: z.number(),
  /** The last close before the latest bar's exchange day (the previous trading day's); null without one. */
  previousClose: z.number().nullable(),
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

/** One exchange day on which a ticker has bars, as `GET /v1/days` lists it. */
export const tradingDaySchema = z.object({
  date: z.iso.date().meta({ description: "Exchange date (America/New_York)" }),
  bars: z.number().int().positive().meta({ description: "Bars stored in the day's regular session" }),
  lastBarAt: z.iso.datetime().meta({ description: "Start of the day's newest bar, UTC" }),
});

/** `GET /v1/days`: the exchange days on which a ticker has bars, newest first. */
export const tradingDaysResponseSchema = z.object({
  ticker: z.string(),
  days: z.array(tradingDaySchema),
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

/** How current the stored bars are; see the middle-tier README for the thresholds. */
export const FRESHNESS_LEVELS = ["fresh", "late", "stale"] as const;
export const freshnessSchema = z.enum(FRESHNESS_LEVELS);

/** The newest stored bar of one followed ticker and how far behind it is. */
export const tickerStatusSchema = z.object({
  ticker: z.string(),
  /** Start of the newest stored bar, UTC. */
  lastBarStart: z.iso.datetime(),
  /** Its end (start + 60 s), UTC. */
  lastBarEnd: z.iso.datetime(),
  /** Seconds from the bar's end to now (0 if it ends later). */
  ageSeconds: z.number().nonnegative(),
  /**
   * Seconds of the reference session not covered by bars: of the session in progress
   * up to now, or, while the exchange is closed, of the last session up to its close.
   */
  behindSeconds: z.number().nonnegative(),
  freshness: freshnessSchema,
});

/** `GET /v1/status`: how current the pipeline's data is, on the API's clock. */
export const statusResponseSchema = z.object({
  /** The instant described (the API's clock). */
  at: z.iso.datetime(),
  /** The worst of the tickers' (`stale` when no ticker is followed). */
  freshness: freshnessSchema,
  /** `behindSeconds` up to `freshSeconds` is fresh, up to `lateSeconds` late, beyond that stale. */
  thresholds: z.object({ freshSeconds: z.number(), lateSeconds: z.number() }),
  market: z.object({
    /** ISO 10383 code of the exchange (`XNYS`). */
    exchange: z.string(),
    /** A regular session is in progress (holidays and early closes honoured). */
    open: z.boolean(),
    /** Open of the session in progress; null while closed. */
    sessionOpenedAt: z.iso.datetime().nullable(),
    /** Seconds since that open; 0 while closed. */
    elapsedSeconds: z.number().nonnegative(),
    /** Close of the session in progress, or of the next one. */
    nextClose: z.iso.datetime(),
    /** Open of the next session (after the one in progress, if any). */
    nextOpen: z.iso.datetime(),
    /** Close of the latest session that has ended. */
    previousClose: z.iso.datetime(),
  }),
  /** The followed tickers (those with a bar in the last seven days), by name. */
  tickers: z.array(tickerStatusSchema),
  /** The scored article published last; null when none is scored. */
  lastArticle: z
    .object({
      id: z.string(),
      publishedAt: z.iso.datetime(),
      scoredAt: z.iso.datetime(),
      /** Seconds from its publication to now (0 if later). */
      ageSeconds: z.number().nonnegative(),
    })
    .nullable(),
  /** Messages processing could not use, recorded in the hour up to `at`. */
  deadLetters: z.object({
    windowSeconds: z.number().int().positive(),
    total: z.number().int().nonnegative(),
    /** By the topic they were read from; every data topic is listed, 0 included. */
    byTopic: z.record(z.string(), z.number().int().nonnegative()),
  }),
});

export type TickerSummary = z.infer<typeof tickerSummarySchema>;
export type Candle = z.infer<typeof candleSchema>;
export type CandlesResponse = z.infer<typeof candlesResponseSchema>;
export type TradingDay = z.infer<typeof tradingDaySchema>;
export type TradingDaysResponse = z.infer<typeof tradingDaysResponseSchema>;
export type NewsItem = z.infer<typeof newsItemSchema>;
export type NewsPage = z.infer<typeof newsPageSchema>;
export type Freshness = z.infer<typeof freshnessSchema>;
export type TickerStatus = z.infer<typeof tickerStatusSchema>;
export type StatusResponse = z.infer<typeof statusResponseSchema>;
