import { z } from "zod";
import { candlesResponseSchema, exchangeDate, sessionFor, type Candle, type IsoDate } from "@hdp/shared";
import type { MiddleTierApp, RouteContext } from "../app.js";
import { CACHE_LIVE } from "../cache.js";
import { ClosedDayAnswers } from "../closed-day-answers.js";
import { sendJsonText } from "../prepared-answer.js";
import {
  candlesJsonBetween,
  latestBarAt,
  tickerExists,
  type BarRow,
  NO_BARS_JSON,
  type BarsJson,
} from "../data/bars.js";
import { BadRequestError, NotFoundError } from "../errors.js";
import { boundParam, dateParam, lowerBound, tickerParam, upperBound } from "../params.js";
import {
  databaseUnavailableResponse,
  documented,
  invalidQueryResponse,
  notFoundResponse,
} from "../responses.js";
import { noSessionReason } from "../session-day.js";

/** Longest `from`/`to` span answered at once. */
export const MAX_CANDLE_RANGE_DAYS = 31;

const querySchema = z.object({
  ticker: tickerParam,
  date: dateParam.optional().meta({ description: "Exchange date; default the latest trading day with data" }),
  from: boundParam.optional().meta({ description: "Inclusive start (instead of date)" }),
  to: boundParam.optional().meta({ description: "Exclusive end, or a date meaning through that day" }),
});

/**
 * `GET /v1/candles?ticker=&date=`: the bars of one session with EMA9, oldest first;
 * or `?ticker=&from=&to=` for a time range.
 */
export function registerCandlesRoute(
  app: MiddleTierApp,
  { pool, now, metrics, checkResponses }: RouteContext,
): void {
  const closedDays = new ClosedDayAnswers({ now, record: metrics.recordCacheLookup });
  app.get(
    "/v1/candles",
    {
      schema: {
        summary: "One-minute bars with EMA9 for a session or a time range",
        tags: ["market"],
        querystring: querySchema,
        response: {
          200: documented(
            candlesResponseSchema,
            "The bars, oldest first (none yet for a session not opened)",
          ),
          304: documented(
            z.undefined(),
            "Not modified: the closed day's answer still has the `If-None-Match` ETag",
          ),
          400: invalidQueryResponse,
          404: notFoundResponse(
            "Unknown ticker, or a date without a session: the exchange is closed that day, or it is after today",
          ),
          503: databaseUnavailableResponse,
        },
      },
    },
    async (request, reply) => {
      const { ticker, date, from, to } = request.query;
      if (date !== undefined && (from !== undefined || to !== undefined)) {
        throw new BadRequestError("date", "give either date or from/to, not both");
      }
      const noSession = date === undefined ? undefined : noSessionReason(date, now());
      if (noSession !== undefined) throw new NotFoundError(noSession);
      // Bars found prove the ticker exists: the existence query runs only for an empty answer.
      const known = async ({ json }: BarsJson) => {
        if (json === "[]" && !(await tickerExists(pool, ticker))) {
          throw new NotFoundError(`unknown ticker ${ticker}`);
        }
      };
      // The answer around the database's JSON array; checked like any answer in tests.
      const answer = (day: IsoDate | null, { json }: BarsJson) => {
        const text = `{"ticker":${JSON.stringify(ticker)},"date":${JSON.stringify(day)},"candles":${json}}`;
        if (checkResponses) reply.serialize(JSON.parse(text));
        return text;
      };

      if (from !== undefined || to !== undefined) {
        if (from === undefined || to === undefined) {
          throw new BadRequestError(from === undefined ? "from" : "to", "from and to go together");
        }
        const start = lowerBound(from);
        const end = upperBound(to);
        if (end <= start) throw new BadRequestError("to", "must be after from");
        if (end.getTime() - start.getTime() > MAX_CANDLE_RANGE_DAYS * 86_400_000) {
          throw new BadRequestError("to", `the range may span at most ${MAX_CANDLE_RANGE_DAYS} days`);
        }
        const candles = await candlesJsonBetween(pool, ticker, start, end);
        await known(candles);
        reply.header("cache-control", end < now() ? "public, max-age=300" : CACHE_LIVE);
        return sendJsonText(reply, answer(null, candles));
      }

      // A closed session's answer is served from memory: serialized (and compressed) once, then sent as bytes.
      const key = date === undefined ? undefined : `${ticker}|${date}`;
      const kept = closedDays.sendKept(request, reply, key);
      if (kept !== undefined) return kept;

      const day = date ?? (await latestDayWithData(pool, ticker));
      const session = day === undefined ? undefined : sessionFor(day);
      const candles = session
        ? await candlesJsonBetween(pool, ticker, session.open, session.close)
        : NO_BARS_JSON;
      await known(candles);
      const text = answer(day ?? null, candles);
      if (day === undefined) return sendJsonText(reply, text);
      return closedDays.send(request, reply, { day, key, text, lastBarStart: candles.lastBarStart });
    },
  );
}

async function latestDayWithData(pool: RouteContext["pool"], ticker: string): Promise<IsoDate | undefined> {
  const at = await latestBarAt(pool, ticker);
  return at === undefined ? undefined : exchangeDate(at);
}

/** A stored bar as the API shows it. */
export function toCandle(row: BarRow): Candle {
  return {
    t: row.startAt.toISOString(),
    open: row.open,
    high: row.high,
    low: row.low,
    close: row.close,
    volume: row.volume,
    ema9: row.ema9,
  };
}
