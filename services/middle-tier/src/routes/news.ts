import { z } from "zod";
import { newsPageSchema, type NewsItem } from "@hdp/shared";
import type { MiddleTierApp, RouteContext } from "../app.js";
import { decodeCursor, encodeCursor } from "../cursor.js";
import { tickerExists } from "../data/bars.js";
import { newsFor, type NewsRow } from "../data/news.js";
import { BadRequestError, NotFoundError } from "../errors.js";
import { boundParam, lowerBound, tickerParam, upperBound, wholeNumberParam } from "../params.js";
import {
  databaseUnavailableResponse,
  documented,
  invalidQueryResponse,
  notFoundResponse,
} from "../responses.js";

/** Page size when none is asked, and the largest allowed. */
export const DEFAULT_NEWS_LIMIT = 20;
export const MAX_NEWS_LIMIT = 100;

const querySchema = z.object({
  ticker: tickerParam,
  from: boundParam.optional().meta({ description: "Inclusive start; default the beginning" }),
  to: boundParam
    .optional()
    .meta({ description: "Exclusive end, or a date meaning through that day; default now" }),
  limit: wholeNumberParam(1, MAX_NEWS_LIMIT).default(DEFAULT_NEWS_LIMIT),
  cursor: z.string().min(1).max(200).optional().meta({ description: "nextCursor of the previous page" }),
});

/** `GET /v1/news`: a ticker's articles newest first, each with its sentiment, keyset-paginated. */
export function registerNewsRoute(app: MiddleTierApp, { pool, now }: RouteContext): void {
  app.get(
    "/v1/news",
    {
      schema: {
        summary: "A ticker's news with sentiment, newest first",
        tags: ["news"],
        querystring: querySchema,
        response: {
          200: documented(newsPageSchema, "A page of articles, newest first, and the cursor of the next"),
          400: invalidQueryResponse,
          404: notFoundResponse("Unknown ticker"),
          503: databaseUnavailableResponse,
        },
      },
    },
    async (request) => {
      const { ticker, from, to, limit, cursor } = request.query;
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      if (cursor !== undefined && after === undefined)
        throw new BadRequestError("cursor", "is not a valid cursor");
      if (!(await tickerExists(pool, ticker))) throw new NotFoundError(`unknown ticker ${ticker}`);
      const rows = await newsFor(pool, {
        ticker,
        from: from === undefined ? new Date(0) : lowerBound(from),
        to: to === undefined ? new Date(now().getTime() + 1) : upperBound(to),
        limit: limit + 1,
        ...(after ? { after } : {}),
      });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const nextCursor =
        rows.length > limit && last ? encodeCursor({ publishedUs: last.publishedUs, id: last.id }) : null;
      return { ticker, items: page.map(toNewsItem), nextCursor };
    },
  );
}

/** A stored article, with its sentiment for the ticker asked about, as the API shows it. */
export function toNewsItem(row: NewsRow): NewsItem {
  return {
    id: row.id,
    publishedAt: row.publishedAt.toISOString(),
    title: row.title,
    author: row.author,
    url: row.url,
    description: row.description,
    publisher: row.publisher,
    tickers: row.tickers,
    keywords: row.keywords,
    imageUrl: row.imageUrl,
    sentiment:
      row.score === null || row.label === null || row.model === null
        ? null
        : { score: row.score, label: row.label, model: row.model },
  };
}
