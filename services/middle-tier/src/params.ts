import { z } from "zod";
import {
  addDays,
  CALENDAR_YEARS,
  exchangeTime,
  inCalendarYears,
  TICKER_PATTERN,
  type IsoDate,
} from "@hdp/shared";

/** Query-string fields shared by the routes; each failure message names what is expected, once. */

/** A date shown in the document's examples: a seeded trading day of the tests. */
const EXAMPLE_DATE = "2024-03-04";

/** The ticker shape in either case: the document says what the API accepts. */
const ANY_CASE_TICKER = new RegExp(TICKER_PATTERN.source.replaceAll("A-Z", "A-Za-z"));

/** A ticker; lower case is accepted and upper-cased (`aapl` is `AAPL`). */
export const tickerParam = z
  .string()
  .trim()
  .regex(ANY_CASE_TICKER, "must be a ticker such as AAPL or BRK.B (letters and digits)")
  .transform((v) => v.toUpperCase())
  .meta({ description: "Ticker symbol, e.g. AAPL (any case)", example: "AAPL" });

/**
 * An exchange-calendar date, `YYYY-MM-DD` (America/New_York), in the years the exchange calendar knows.
 * The OpenAPI document shows it as `format: date`; the check here (zod's ISO date, which knows month
 * lengths and leap years: 2024-02-30 fails) is what validates it.
 */
export const dateParam = z.iso
  .date({ message: "must be a date YYYY-MM-DD" })
  .refine(inCalendarYears, {
    message: `must be a date from ${CALENDAR_YEARS.first} to ${CALENDAR_YEARS.last}, the years of the exchange calendar`,
  })
  .meta({ example: EXAMPLE_DATE });

/**
 * A time bound: an ISO 8601 instant, or a date meaning that exchange day (start for `from`, end for `to`).
 * Without an example: where `date` is one too, an example for both would show a request that mixes them.
 */
export const boundParam = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  message: "must be a date YYYY-MM-DD or an ISO 8601 instant",
});

/**
 * A whole number from `min` to `max` in the query string; any failure says so in one message. The
 * bounds are checked before wholeness, so that a huge number is reported as above `max` (the first
 * failure of a parameter is the one reported) rather than outside the safe integers.
 */
export function wholeNumberParam(min: number, max: number) {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ message }).max(max, { message }).min(min, { message }).int({ message });
}

/** A sensor device name (a Kubernetes node name). */
export const deviceParam = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a device name")
  .meta({ example: "pi-1" });

/** The instant a `from` bound stands for: a date is the start of that exchange day. */
export function lowerBound(value: string): Date {
  return isDateOnly(value) ? exchangeTime(value, 0, 0) : new Date(value);
}

/** The exclusive instant a `to` bound stands for: a date includes the whole exchange day. */
export function upperBound(value: string): Date {
  return isDateOnly(value) ? exchangeTime(addDays(value, 1), 0, 0) : new Date(value);
}

function isDateOnly(value: string): value is IsoDate {
  return /^\d{4}-\d{2}-\d{2}$/.test(value);
}
