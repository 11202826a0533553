import { z } from "zod";
import { addDays, exchangeDate, exchangeTime } from "@hdp/shared";
import type { MiddleTierApp, RouteContext } from "../app.js";
import { newsFor, type NewsRow } from "../data/news.js";
import { dateParam, tickerParam, wholeNumberParam } from "../params.js";
import { documented } from "../responses.js";
import {
  COMPAT_ERROR_RESPONSES,
  COMPAT_SENTIMENT_LABELS,
  NOT_FOUND_DETAIL,
  newsDescriptionSchema,
} from "./schemas.js";

/** Calendar days covered, ending with `day`. */
export const COMPAT_NEWS_DAYS = 4;
/** Characters of a cut description kept before `...`, and the longest description sent whole. */
export const DESCRIPTION_CHARS = 250;
export const DESCRIPTION_WHOLE_UP_TO = 256;

const querySchema = z.object({
  ticker: tickerParam,
  day: dateParam.optional().meta({ description: "Last calendar day covered (New York); default today" }),
  limit: wholeNumberParam(1, 100).default(10),
  skip: wholeNumberParam(0, 10_000).default(0),
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
        response: {
          200: documented(z.array(newsDescriptionSchema), "Scored articles, newest first"),
          ...COMPAT_ERROR_RESPONSES,
        },
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
      if (rows.length === 0) return reply.code(404).send({ detail: NOT_FOUND_DETAIL });
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
      description: row.description === null ? null : shortDescription(row.description),
      publisher: row.publisher,
      tickers: row.tickers,
      keywords: row.keywords,
      datetime: row.localTime,
      image_url: row.imageUrl,
    },
  };
}

/**
 * The description as the original API shows it: whole up to 256 characters, else its first 250
 * followed by `...` (a cut that ends in a full stop does not make four dots).
 */
export function shortDescription(description: string): string {
  if (description.length <= DESCRIPTION_WHOLE_UP_TO) return description;
  return `${description.slice(0, DESCRIPTION_CHARS).replace(/\.+$/, "")}...`;
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
