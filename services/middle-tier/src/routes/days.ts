import { z } from "zod";
import { sessionFor, tradingDaysResponseSchema } from "@hdp/shared";
import type { MiddleTierApp, RouteContext } from "../app.js";
import { CACHE_LIVE } from "../cache.js";
import { daysWithBars, tickerExists } from "../data/bars.js";
import { NotFoundError } from "../errors.js";
import { tickerParam, wholeNumberParam } from "../params.js";
import {
  databaseUnavailableResponse,
  documented,
  invalidQueryResponse,
  notFoundResponse,
} from "../responses.js";

/** Days listed when none is asked, and the most that may be asked. */
export const DEFAULT_DAYS_LIMIT = 20;
export const MAX_DAYS_LIMIT = 100;

const querySchema = z.object({
  ticker: tickerParam,
  limit: wholeNumberParam(1, MAX_DAYS_LIMIT)
    .default(DEFAULT_DAYS_LIMIT)
    .meta({ description: `Most days listed, 1-${MAX_DAYS_LIMIT}` }),
});

/**
 * `GET /v1/days?ticker=`: the exchange days on which a ticker has bars, newest first, so
 * that a client offers only days it can show (the web page's date menu).
 */
export function registerDaysRoute(app: MiddleTierApp, { pool }: RouteContext): void {
  app.get(
    "/v1/days",
    {
      schema: {
        summary: "The exchange days on which a ticker has bars, newest first",
        description:
          "Trading days (NYSE calendar) with bars in the regular session, each with its number of bars " +
          "and the start of its newest; `no-cache`, as a new day appears with its first bar.",
        tags: ["market"],
        querystring: querySchema,
        response: {
          200: documented(tradingDaysResponseSchema, "The days, newest first (empty: none yet)"),
          400: invalidQueryResponse,
          404: notFoundResponse("No bar or article names the ticker"),
          503: databaseUnavailableResponse,
        },
      },
    },
    async (request, reply) => {
      const { ticker, limit } = request.query;
      const rows = await daysWithBars(pool, ticker, limit);
      if (rows.length === 0 && !(await tickerExists(pool, ticker))) {
        throw new NotFoundError(`unknown ticker ${ticker}`);
      }
      reply.header("cache-control", CACHE_LIVE);
      const days = rows
        .filter((row) => sessionFor(row.date) !== undefined)
        .map((row) => ({ date: row.date, bars: row.bars, lastBarAt: row.lastBarAt.toISOString() }));
      return { ticker, days };
    },
  );
}
