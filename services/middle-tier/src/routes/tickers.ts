import { z } from "zod";
import { addDays, exchangeDate, exchangeTime, tickerSummarySchema, type TickerSummary } from "@hdp/shared";
import type { MiddleTierApp, RouteContext } from "../app.js";
import { tickerSummaries, type TickerRow } from "../data/bars.js";
import { dateParam } from "../params.js";
import { databaseUnavailableResponse, documented, invalidQueryResponse } from "../responses.js";

const querySchema = z.object({
  date: dateParam.optional().meta({
    description:
      "Exchange date: each ticker as of the end of that day (its newest bar up to then; " +
      "tickers without one are left out); default now",
  }),
});

/** `GET /v1/tickers`: every ticker with bars, its last price and the change on its latest day. */
export function registerTickersRoute(app: MiddleTierApp, { pool }: RouteContext): void {
  app.get(
    "/v1/tickers",
    {
      schema: {
        summary: "Tickers with their last price and change on the day",
        tags: ["market"],
        querystring: querySchema,
        response: {
          200: documented(
            z.array(tickerSummarySchema),
            "Every ticker with bars (up to the end of `date` when given), by name",
          ),
          400: invalidQueryResponse,
          503: databaseUnavailableResponse,
        },
      },
    },
    async (request) => {
      const { date } = request.query;
      const before = date === undefined ? undefined : exchangeTime(addDays(date, 1), 0, 0);
      return (await tickerSummaries(pool, before)).map(toSummary);
    },
  );
}

function toSummary(row: TickerRow): TickerSummary {
  const change = row.previousClose === null ? null : row.close - row.previousClose;
  return {
    ticker: row.ticker,
    date: exchangeDate(row.startAt),
    lastPrice: row.close,
    previousClose: row.previousClose,
    change,
    changePercent: change === null || row.previousClose === null ? null : (change / row.previousClose) * 100,
    lastBarAt: row.startAt.toISOString(),
  };
}
