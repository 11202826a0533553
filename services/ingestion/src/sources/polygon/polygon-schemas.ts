import { z } from "zod";
import { tickerField, type Article, type Bar } from "@hdp/shared";

/** One aggregate of `/v2/aggs/ticker/{T}/range/1/minute/{from}/{to}`. */
export const polygonAggSchema = z.object({
  /** Start of the bar, Unix milliseconds. */
  t: z.number(),
  o: z.number(),
  h: z.number(),
  l: z.number(),
  c: z.number(),
  v: z.number(),
});

export const polygonAggsResponseSchema = z.object({
  results: z.array(polygonAggSchema).optional(),
  next_url: z.string().optional(),
});

/** One article of `/v2/reference/news`. */
export const polygonArticleSchema = z.object({
  id: z.string().min(1),
  published_utc: z.string(),
  title: z.string(),
  author: z.string().nullish(),
  article_url: z.string(),
  description: z.string().nullish(),
  publisher: z.object({ name: z.string() }).partial().nullish(),
  tickers: z.array(z.string()).nullish(),
  keywords: z.array(z.string()).nullish(),
  image_url: z.string().nullish(),
});

export const polygonNewsResponseSchema = z.object({
  results: z.array(polygonArticleSchema).optional(),
  next_url: z.string().optional(),
});

export type PolygonAgg = z.infer<typeof polygonAggSchema>;
export type PolygonArticle = z.infer<typeof polygonArticleSchema>;

/** Our bar for a Polygon aggregate; volumes are rounded (Polygon may send fractional shares). */
export function barFromPolygon(ticker: string, agg: PolygonAgg): Bar {
  return {
    ticker,
    start: new Date(agg.t).toISOString(),
    open: agg.o,
    high: agg.h,
    low: agg.l,
    close: agg.c,
    volume: Math.max(0, Math.round(agg.v)),
    source: "polygon",
  };
}

function isUrl(value: string | null | undefined): value is string {
  return typeof value === "string" && z.url().safeParse(value).success;
}

/**
 * Our article for a Polygon one, or undefined when it lacks what the contract
 * needs (a parseable date, a URL). Tickers our contract cannot carry (`X:BTCUSD`)
 * are dropped; the requested ticker is always listed.
 */
export function articleFromPolygon(requested: string, item: PolygonArticle): Article | undefined {
  const published = new Date(item.published_utc);
  if (Number.isNaN(published.getTime()) || !isUrl(item.article_url) || item.title.trim() === "")
    return undefined;
  const tickers = new Set([
    requested,
    ...(item.tickers ?? []).filter((t) => tickerField.safeParse(t).success),
  ]);
  return {
    id: `polygon-${item.id}`.slice(0, 200),
    publishedAt: published.toISOString(),
    title: item.title.slice(0, 1000),
    author: item.author ? item.author.slice(0, 300) : null,
    url: item.article_url,
    description: item.description ? item.description.slice(0, 20_000) : null,
    publisher: item.publisher?.name?.slice(0, 300) || "Unknown publisher",
    tickers: [...tickers].slice(0, 50),
    keywords: (item.keywords ?? []).slice(0, 100).map((k) => k.slice(0, 200)),
    imageUrl: isUrl(item.image_url) ? item.image_url : null,
  };
}
