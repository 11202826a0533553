import { z } from "zod";
import { addDays, exchangeTime, tickerField, type IsoDate } from "@hdp/shared";

/** Query-string fields shared by the routes; each failure message names what is expected. */

/** A ticker; lower case is accepted and upper-cased (`aapl` is `AAPL`). */
export const tickerParam = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .pipe(tickerField)
  .meta({ description: "Ticker symbol, e.g. AAPL", example: "AAPL" });

/** An exchange-calendar date, `YYYY-MM-DD` (America/New_York). */
export const dateParam = z.iso.date({ message: "must be a date YYYY-MM-DD" });

/** A time bound: an ISO 8601 instant, or a date meaning that exchange day (start for `from`, end for `to`). */
export const boundParam = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  message: "must be a date YYYY-MM-DD or an ISO 8601 instant",
});

/** A sensor device name (a Kubernetes node name). */
export const deviceParam = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a device name");

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
