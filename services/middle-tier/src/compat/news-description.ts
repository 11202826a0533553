import { z } from "zod";
import { addDays, exchangeDate, exchangeTime } from "@hdp/shared";
import type { MiddleTierApp, RouteContext } from "../app.js";
import { newsFor, type NewsRow } from "../data/news.js";
import { errorResponseSchema } from "../errors.js";
import { dateParam, tickerParam } from "../params.js";
import { COMPAT_SENTIMENT_LABELS, detailSchema, newsDescriptionSchema } from "./schemas.js";

/** Calendar days covered, ending with `day`. */
export const COMPAT_NEWS_DAYS = 4;
/** Characters of the description kept before `...`. */
export const DESCRIPTION_CHARS = 250;

const querySchema = z.object({
  ticker: tickerParam,
  day: dateParam.optional().meta({ description: "Last calendar day covered (New York); default today" }),
  limit: z.coerce.number().int().min(1).max(100).default(10),
  skip: z.coerce.number().int().min(0).max(10_000).default(0),
});

/** `GET /news/description?ticker=&day=&limit=&skip=`: the original API's scored news, newest first. */
export function registerCompatNewsRoute(app: MiddleTierApp, { pool, now }: RouteContext): void {
  app.get(
    "/news/description",
    {
      schema: {
        summary: "Scored news of the four calendar days up to a day (original API)",
        tags: ["compatibility"],
        querystring: querySchema,
        response: { 200: z.array(newsDescriptionSchema), 400: errorResponseSchema, 404: detailSchema },
      },
    },
    async (request, reply) => {
      const { ticker, limit, skip } = request.query;
      const day = request.query.day ?? exchangeDate(now());
      const rows = await newsFor(pool, {
        ticker,
        from: exchangeTime(addDays(day, 1 - COMPAT_NEWS_DAYS), 0, 0),
        to: exchangeTime(addDays(day, 1), 0, 0),
        limit,
        offset: skip,
        scoredOnly: true,
      });
      if (rows.length === 0) return reply.code(404).send({ detail: `no news for ${ticker} up to ${day}` });
      return rows.map((row) => toCompatNews(ticker, row));
    },
  );
}

/** The original API's element: its field names, capitalised label and shortened description. */
export function toCompatNews(ticker: string, row: NewsRow): z.infer<typeof newsDescriptionSchema> {
  return {
    news_sentiment: {
      ticker,
      compound_influence_score: row.score ?? 0,
      sentiment_score: compatLabel(row.label ?? "neutral"),
    },
    news_sentiment_description: {
      id: row.id,
      title: row.title,
      author: row.author,
      article_url: row.url,
      description: row.description === null ? null : `${row.description.slice(0, DESCRIPTION_CHARS)}...`,
      publisher: row.publisher,
      tickers: row.tickers,
      keywords: row.keywords,
      datetime: row.localTime,
      image_url: row.imageUrl,
    },
  };
}

function compatLabel(label: "negative" | "neutral" | "positive"): (typeof COMPAT_SENTIMENT_LABELS)[number] {
  switch (label) {
    case "negative":
      return "Negative";
    case "neutral":
      return "Neutral";
    case "positive":
      return "Positive";
    default: {
      const unexpected: never = label;
      throw new Error(`unknown sentiment label ${String(unexpected)}`);
    }
  }
}
