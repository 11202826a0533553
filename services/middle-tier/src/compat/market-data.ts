import { z } from "zod";
import { exchangeDate, sessionFor } from "@hdp/shared";
import type { MiddleTierApp, RouteContext } from "../app.js";
import { cacheControlForDay } from "../cache.js";
import { barsBetween, latestBarAt } from "../data/bars.js";
import { dateParam, tickerParam } from "../params.js";
import { documented } from "../responses.js";
import { COMPAT_ERROR_RESPONSES, NOT_FOUND_DETAIL, oneMinuteBarSchema } from "./schemas.js";

const querySchema = z.object({
  ticker: tickerParam,
  date: dateParam.optional().meta({ description: "Exchange date; default the latest trading day with data" }),
});

/** `GET /marketData/oneMinute?ticker=&date=`: the original API's one-minute bars of a session. */
export function registerCompatMarketRoute(app: MiddleTierApp, { pool, now }: RouteContext): void {
  app.get(
    "/marketData/oneMinute",
    {
      schema: {
        summary: "One-minute bars of a session (original API)",
        tags: ["compatibility"],
        querystring: querySchema,
        response: {
          200: documented(z.array(oneMinuteBarSchema), "The session's bars, oldest first"),
          ...COMPAT_ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { ticker } = request.query;
      const latest = request.query.date === undefined ? await latestBarAt(pool, ticker) : undefined;
      const date = request.query.date ?? (latest === undefined ? undefined : exchangeDate(latest));
      const session = date === undefined ? undefined : sessionFor(date);
      const rows = session ? await barsBetween(pool, ticker, session.open, session.close) : [];
      if (date === undefined || rows.length === 0) {
        return reply.code(404).send({ detail: NOT_FOUND_DETAIL });
      }
      reply.header("cache-control", cacheControlForDay(date, now(), rows.at(-1)?.startAt));
      return rows.map((row) => ({
        ticker,
        high: row.high,
        low: row.low,
        open: row.open,
        close: row.close,
        volume: row.volume,
        datetime: row.localTime,
        EMA9: row.ema9,
      }));
    },
  );
}
