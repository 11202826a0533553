import { TZDate } from "@date-fns/tz";
import { ValidationError } from "../errors/errors.js";

/** The exchange's time zone: sessions, holidays and calendar dates are all reckoned here. */
export const EXCHANGE_TIME_ZONE = "America/New_York";

/** A calendar date written `YYYY-MM-DD`, without a time or a zone. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Parts of an {@link IsoDate}; `month` is 1-12. Throws ValidationError on a malformed or impossible date. */
export function parseIsoDate(date: IsoDate): { year: number; month: number; day: number } {
  const match = ISO_DATE.exec(date);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const roundTrip = new Date(Date.UTC(year, month - 1, day));
    if (roundTrip.getUTCMonth() === month - 1 && roundTrip.getUTCDate() === day) return { year, month, day };
  }
  throw new ValidationError([`date: "${date}" is not a calendar date written YYYY-MM-DD`]);
}

/** Formats year, month (1-12) and day as an {@link IsoDate}; out-of-range days roll over. */
export function isoDate(year: number, month: number, day: number): IsoDate {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

/** The date `days` calendar days after `date` (negative: before). */
export function addDays(date: IsoDate, days: number): IsoDate {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Day of the week of `date`: 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** The calendar date in New York at `instant`: `2024-03-05T02:00:00Z` is `2024-03-04`. */
export function exchangeDate(instant: Date): IsoDate {
  const local = new TZDate(instant.getTime(), EXCHANGE_TIME_ZONE);
  return isoDate(local.getFullYear(), local.getMonth() + 1, local.getDate());
}

/** The instant at wall-clock `hour:minute` in New York on `date` (DST applied). */
export function exchangeTime(date: IsoDate, hour: number, minute: number): Date {
  const { year, month, day } = parseIsoDate(date);
  return new Date(new TZDate(year, month - 1, day, hour, minute, EXCHANGE_TIME_ZONE).getTime());
}
