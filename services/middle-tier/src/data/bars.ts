import type { Pool } from "@hdp/shared";
import { exchangeLocalTimeSql } from "./local-time.js";

/** One stored bar as the routes use it. */
export interface BarRow {
  readonly startAt: Date;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly ema9: number | null;
}

/** The latest bar of a ticker with the previous exchange day's last close. */
export interface TickerRow {
  readonly ticker: string;
  readonly startAt: Date;
  readonly close: number;
  readonly previousClose: number | null;
}

/** The columns of a `BarRow`, for queries on `bars`. */
export const BAR_COLUMNS = `start_at AS "startAt", open, high, low, close, volume, ema9`;

/** Bars of `$1` with `$2 <= start_at < $3`: a range scan of the primary key. */
const IN_RANGE = "ticker = $1 AND start_at >= $2 AND start_at < $3";

/** Bars of `ticker` with `from <= start_at < to`, oldest first. */
export async function barsBetween(pool: Pool, ticker: string, from: Date, to: Date): Promise<BarRow[]> {
  const result = await pool.query<BarRow>(
    `SELECT ${BAR_COLUMNS} FROM bars WHERE ${IN_RANGE} ORDER BY start_at`,
    [ticker, from, to],
  );
  return result.rows;
}

/**
 * The columns of a `Candle`, in its order, for queries on `bars`. The database writes
 * the instant as the API shows it (what `Date#toISOString` gives), so that rows go out
 * as they come: no timestamp parsing and formatting per bar in the service.
 */
const CANDLE_COLUMNS = `to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS t,
  open, high, low, close, volume, ema9`;

/** A range's bars as the JSON array a route sends, and the start of the newest of them. */
export interface BarsJson {
  /** The JSON array, oldest first (`[]` for none). */
  readonly json: string;
  /** Start of the newest bar; undefined when there is none. */
  readonly lastBarStart: Date | undefined;
}

/** No bars: the answer of a day without a session, read from nowhere. */
export const NO_BARS_JSON: BarsJson = { json: "[]", lastBarStart: undefined };

/**
 * `barsBetween` as the JSON array of candles `GET /v1/candles` sends, written by the database:
 * the service passes the text on instead of building, stringifying and collecting 390
 * objects per answer. Same rows, same order, same fields. The newest bar's start comes from
 * the same read, so that what is said of the answer (complete or not) is true of its text.
 */
export async function candlesJsonBetween(
  pool: Pool,
  ticker: string,
  from: Date,
  to: Date,
): Promise<BarsJson> {
  const result = await pool.query<{ candles: string; last: string | null }>(
    `SELECT coalesce(json_agg(c ORDER BY c.t), '[]')::text AS candles, max(c.t) AS last FROM (
       SELECT ${CANDLE_COLUMNS} FROM bars WHERE ${IN_RANGE}
     ) c`,
    [ticker, from, to],
  );
  const row = result.rows[0];
  return { json: row?.candles ?? "[]", lastBarStart: row?.last ? new Date(row.last) : undefined };
}

/**
 * One bar of `GET /marketData/oneMinute` (the original API): its fields in its order, from a
 * row `b` of `bars`. The one place that spells such a bar: the route sends what this writes.
 * `datetime` is the bar's start as exchange-local wall-clock time, `YYYY-MM-DDTHH:MM:SS`.
 */
const ONE_MINUTE_FIELDS = `b.ticker, b.high, b.low, b.open, b.close, b.volume,
  ${exchangeLocalTimeSql("b.start_at")} AS datetime,
  b.ema9 AS "EMA9"`;

/**
 * The bars of `ticker` with `from <= start_at < to`, oldest first, as the JSON array
 * `GET /marketData/oneMinute` sends, written by the database: byte for byte what
 * `JSON.stringify` made of the rows the driver read before (`row_to_json` writes no spaces;
 * `string_agg` joins with a bare comma, where `json_agg` would put a line break).
 */
export async function oneMinuteJsonBetween(
  pool: Pool,
  ticker: string,
  from: Date,
  to: Date,
): Promise<BarsJson> {
  const result = await pool.query<{ bars: string | null; last: Date | null }>(
    `SELECT '[' || string_agg(row_to_json(o)::text, ',' ORDER BY b.start_at) || ']' AS bars,
            max(b.start_at) AS last
       FROM (SELECT ticker, start_at, open, high, low, close, volume, ema9 FROM bars WHERE ${IN_RANGE}) b
      CROSS JOIN LATERAL (SELECT ${ONE_MINUTE_FIELDS}) o`,
    [ticker, from, to],
  );
  const row = result.rows[0];
  return { json: spelledAsJavaScript(row?.bars ?? "[]"), lastBarStart: row?.last ?? undefined };
}

/**
 * A float PostgreSQL writes in exponent form (below 1e-4 or from 1e15: `1e-05`, `1e+15`) is one
 * `JSON.stringify` writes otherwise (`0.00001`, `1000000000000000`); in the range prices live
 * in both write the same shortest digits. Text with an exponent is parsed and written again,
 * which is what the driver and `JSON.stringify` did to every answer before.
 */
function spelledAsJavaScript(json: string): string {
  return /\de[+-]/.test(json) ? JSON.stringify(JSON.parse(json)) : json;
}

/** Start of the newest bar of `ticker`, or undefined when it has none. */
export async function latestBarAt(pool: Pool, ticker: string): Promise<Date | undefined> {
  const result = await pool.query<{ at: Date | null }>(
    "SELECT max(start_at) AS at FROM bars WHERE ticker = $1",
    [ticker],
  );
  return result.rows[0]?.at ?? undefined;
}

/**
 * Every ticker with bars before `before` (default: any): its newest bar before then and
 * the last close before that bar's exchange day began (the previous trading day's close).
 */
export async function tickerSummaries(pool: Pool, before?: Date): Promise<TickerRow[]> {
  const result = await pool.query<TickerRow>(
    `WITH latest AS (
       SELECT DISTINCT ON (ticker) ticker, start_at, close FROM bars
        WHERE $1::timestamptz IS NULL OR start_at < $1
        ORDER BY ticker, start_at DESC
     )
     SELECT l.ticker, l.start_at AS "startAt", l.close, p.close AS "previousClose"
       FROM latest l
       LEFT JOIN LATERAL (
         SELECT b.close FROM bars b
          WHERE b.ticker = l.ticker
            AND b.start_at < (date_trunc('day', l.start_at AT TIME ZONE 'America/New_York')
                              AT TIME ZONE 'America/New_York')
          ORDER BY b.start_at DESC LIMIT 1
       ) p ON true
      ORDER BY l.ticker`,
    [before ?? null],
  );
  return result.rows;
}

/** One exchange day of a ticker's bars. */
export interface DayRow {
  /** `YYYY-MM-DD`, America/New_York. */
  readonly date: string;
  readonly bars: number;
  readonly lastBarAt: Date;
}

/**
 * The newest `limit` exchange days on which `ticker` has bars in regular-session hours
 * (09:30-16:00 New York; ingestion stores nothing else, nor past an early close), newest first.
 */
export async function daysWithBars(pool: Pool, ticker: string, limit: number): Promise<DayRow[]> {
  const result = await pool.query<DayRow>(
    `SELECT (start_at AT TIME ZONE 'America/New_York')::date::text AS date,
            count(*)::int AS bars, max(start_at) AS "lastBarAt"
       FROM bars
      WHERE ticker = $1
        AND (start_at AT TIME ZONE 'America/New_York')::time >= '09:30'
        AND (start_at AT TIME ZONE 'America/New_York')::time < '16:00'
      GROUP BY 1 ORDER BY 1 DESC LIMIT $2`,
    [ticker, limit],
  );
  return result.rows;
}

/** True when any bar or article names `ticker`. */
export async function tickerExists(pool: Pool, ticker: string): Promise<boolean> {
  const result = await pool.query<{ known: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM bars WHERE ticker = $1)
         OR EXISTS (SELECT 1 FROM article_tickers WHERE ticker = $1) AS known`,
    [ticker],
  );
  return result.rows[0]?.known === true;
}
