import { z } from "zod";
import { exchangeDate, tickerSummarySchema, type TickerSummary } from "@hdp/shared";
import type { MiddleTierApp, RouteContext } from "../app.js";
import { tickerSummaries, type TickerRow } from "../data/bars.js";
import { databaseUnavailableResponse, documented } from "../responses.js";

/** `GET /v1/tickers`: every ticker with bars, its last price and the change on its latest day. */
export function registerTickersRoute(app: MiddleTierApp, { pool }: RouteContext): void {
  app.get(
    "/v1/tickers",
    {
      schema: {
        summary: "Tickers with their last price and change on the day",
        tags: ["market"],
        response: {
          200: documented(z.array(tickerSummarySchema), "Every ticker with bars, by name"),
          503: databaseUnavailableResponse,
        },
      },
    },
    async () => (await tickerSummaries(pool)).map(toSummary),
  );
}

function toSummary(row: TickerRow): TickerSummary {
  const change = row.previousClose === null ? null : row.close - row.previousClose;
  return {
    ticker: row.ticker,
    date: exchangeDate(row.startAt),
    lastPrice: row.close,
    change,
    changePercent: change === null || row.previousClose === null ? null : (change / row.previousClose) * 100,
    lastBarAt: row.startAt.toISOString(),
  };
}
