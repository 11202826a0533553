import { z } from "zod";
import { tickerField, type Article, type Bar } from "@hdp/shared";

/** `/api/v1/quote`: current price `c`, day's `o,h,l`, previous close `pc`, last update `t` (Unix s). */
export const finnhubQuoteSchema = z.object({
  c: z.number(),
  h: z.number(),
  l: z.number(),
  o: z.number(),
  pc: z.number(),
  t: z.number(),
});

/** `/api/v1/stock/candle`: parallel arrays, or `s: "no_data"` without them. */
export const finnhubCandlesSchema = z.object({
  s: z.string(),
  t: z.array(z.number()).optional(),
  o: z.array(z.number()).optional(),
  h: z.array(z.number()).optional(),
  l: z.array(z.number()).optional(),
  c: z.array(z.number()).optional(),
  v: z.array(z.number()).optional(),
});

/** One item of `/api/v1/company-news`. */
export const finnhubArticleSchema = z.object({
  id: z.number(),
  /** Unix seconds. */
  datetime: z.number(),
  headline: z.string(),
  summary: z.string().nullish(),
  source: z.string().nullish(),
  url: z.string(),
  image: z.string().nullish(),
  /** Comma-separated tickers, e.g. `AAPL` or `AAPL,MSFT`. */
  related: z.string().nullish(),
});

export const finnhubNewsSchema = z.array(finnhubArticleSchema);

export type FinnhubCandles = z.infer<typeof finnhubCandlesSchema>;
export type FinnhubArticle = z.infer<typeof finnhubArticleSchema>;

/** Our bars for a candle response; entries with a missing field are skipped. */
export function barsFromFinnhubCandles(ticker: string, candles: FinnhubCandles): Bar[] {
  if (candles.s !== "ok") return [];
  const bars: Bar[] = [];
  (candles.t ?? []).forEach((t, i) => {
    const [open, high, low, close, volume] = [
      candles.o?.[i],
      candles.h?.[i],
      candles.l?.[i],
      candles.c?.[i],
      candles.v?.[i],
    ];
    if (open === undefined || high === undefined || low === undefined || close === undefined) return;
    bars.push({
      ticker,
      start: new Date(t * 1000).toISOString(),
      open,
      high,
      low,
      close,
      volume: Math.max(0, Math.round(volume ?? 0)),
      source: "finnhub",
    });
  });
  return bars;
}

function isUrl(value: string | null | undefined): value is string {
  return typeof value === "string" && z.url().safeParse(value).success;
}

/** Our article for a Finnhub one, or undefined when it has no usable URL or headline. */
export function articleFromFinnhub(requested: string, item: FinnhubArticle): Article | undefined {
  if (!isUrl(item.url) || item.headline.trim() === "") return undefined;
  const related = (item.related ?? "")
    .split(",")
    .map((t) => t.trim())
    .filter((t) => tickerField.safeParse(t).success);
  return {
    id: `finnhub-${item.id}`,
    publishedAt: new Date(item.datetime * 1000).toISOString(),
    title: item.headline.slice(0, 1000),
    author: null,
    url: item.url,
    description: item.summary ? item.summary.slice(0, 20_000) : null,
    publisher: item.source?.slice(0, 300) || "Unknown publisher",
    tickers: [...new Set([requested, ...related])].slice(0, 50),
    keywords: [],
    imageUrl: isUrl(item.image) ? item.image : null,
  };
}
