import { z } from "zod";
import { exchangeDate, sessionFor } from "@hdp/shared";
import type { MiddleTierApp, RouteContext } from "../app.js";
import { ClosedDayAnswers } from "../closed-day-answers.js";
import { latestBarAt, NO_BARS_JSON, oneMinuteJsonBetween } from "../data/bars.js";
import { dateParam, tickerParam } from "../params.js";
import { documented } from "../responses.js";
import { COMPAT_ERROR_RESPONSES, NOT_FOUND_DETAIL, oneMinuteBarSchema } from "./schemas.js";

const querySchema = z.object({
  ticker: tickerParam,
  date: dateParam.optional().meta({ description: "Exchange date; default the latest trading day with data" }),
});

/**
 * `GET /marketData/oneMinute?ticker=&date=`: the original API's one-minute bars of a session,
 * as the database writes them; a day that is over is answered from memory (`ClosedDayAnswers`).
 */
export function registerCompatMarketRoute(
  app: MiddleTierApp,
  { pool, now, metrics, checkResponses }: RouteContext,
): void {
  const closedDays = new ClosedDayAnswers({ now, record: metrics.recordCacheLookup });
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
      const key = request.query.date === undefined ? undefined : `${ticker}|${request.query.date}`;
      const kept = closedDays.sendKept(request, reply, key);
      if (kept !== undefined) return kept;

      const latest = request.query.date === undefined ? await latestBarAt(pool, ticker) : undefined;
      const date = request.query.date ?? (latest === undefined ? undefined : exchangeDate(latest));
      const session = date === undefined ? undefined : sessionFor(date);
      const bars = session
        ? await oneMinuteJsonBetween(pool, ticker, session.open, session.close)
        : NO_BARS_JSON;
      if (date === undefined || bars.json === "[]") {
        return reply.code(404).send({ detail: NOT_FOUND_DETAIL });
      }
      // Text the database wrote skips the serializer; tests still check it against the schema.
      if (checkResponses) reply.serialize(JSON.parse(bars.json));
      return closedDays.send(request, reply, {
        day: date,
        key,
        text: bars.json,
        lastBarStart: bars.lastBarStart,
      });
    },
  );
}
