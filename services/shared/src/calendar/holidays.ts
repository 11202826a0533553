import { addDays, isoDate, weekday, type IsoDate } from "./iso-date.js";

/**
 * Unscheduled full-day closures that no rule predicts: national days of mourning
 * and emergencies, announced by NYSE a few days ahead. Add new ones here.
 * https://www.nyse.com/markets/hours-calendars
 */
export const ONE_OFF_CLOSURES: ReadonlyMap<IsoDate, string> = new Map([
  ["2001-09-11", "September 11 attacks"],
  ["2001-09-12", "September 11 attacks"],
  ["2001-09-13", "September 11 attacks"],
  ["2001-09-14", "September 11 attacks"],
  ["2004-06-11", "National day of mourning for Ronald Reagan"],
  ["2007-01-02", "National day of mourning for Gerald Ford"],
  ["2012-10-29", "Hurricane Sandy"],
  ["2012-10-30", "Hurricane Sandy"],
  ["2018-12-05", "National day of mourning for George H. W. Bush"],
  ["2025-01-09", "National day of mourning for Jimmy Carter"],
]);

/**
 * The years this calendar answers for. It starts with the first year whose one-off closures
 * {@link ONE_OFF_CLOSURES} lists (earlier years had closures it does not know, and other holiday
 * rules); later years follow today's rules, which are not worth projecting past the century.
 */
export const CALENDAR_YEARS = { first: 2001, last: 2099 } as const;

/** True when `date` (`YYYY-MM-DD`) falls in {@link CALENDAR_YEARS}. */
export function inCalendarYears(date: IsoDate): boolean {
  const year = Number(date.slice(0, 4));
  return year >= CALENDAR_YEARS.first && year <= CALENDAR_YEARS.last;
}

/** Western (Gregorian) Easter Sunday: the anonymous Gregorian computus (Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

/** The `n`-th (1-based) given weekday of a month; `n = -1` is the last one. */
export function nthWeekday(year: number, month: number, dayOfWeek: number, n: number): IsoDate {
  if (n < 0) {
    const last = isoDate(year, month + 1, 0);
    return addDays(last, -((weekday(last) - dayOfWeek + 7) % 7));
  }
  const first = isoDate(year, month, 1);
  return addDays(first, ((dayOfWeek - weekday(first) + 7) % 7) + (n - 1) * 7);
}

/**
 * The weekday on which a fixed-date holiday is observed: Saturday moves to Friday,
 * Sunday to Monday. NYSE Rule 7.2 keeps the exchange open on a Friday that ends a
 * month or a year, so a Saturday New Year's Day is not observed at all.
 */
function observed(date: IsoDate): IsoDate | undefined {
  switch (weekday(date)) {
    case 6: {
      const friday = addDays(date, -1);
      return friday.endsWith("-12-31") ? undefined : friday;
    }
    case 0:
      return addDays(date, 1);
    default:
      return date;
  }
}

const MONDAY = 1;
const THURSDAY = 4;

/** Full-day NYSE holidays of `year` by rule, observed date → name. One-off closures are not included. */
export function nyseHolidays(year: number): ReadonlyMap<IsoDate, string> {
  const rules: [IsoDate | undefined, string][] = [
    [observed(isoDate(year, 1, 1)), "New Year's Day"],
    [nthWeekday(year, 1, MONDAY, 3), "Martin Luther King Jr. Day"],
    [nthWeekday(year, 2, MONDAY, 3), "Washington's Birthday"],
    [addDays(easterSunday(year), -2), "Good Friday"],
    [nthWeekday(year, 5, MONDAY, -1), "Memorial Day"],
    [year >= 2022 ? observed(isoDate(year, 6, 19)) : undefined, "Juneteenth"],
    [observed(isoDate(year, 7, 4)), "Independence Day"],
    [nthWeekday(year, 9, MONDAY, 1), "Labor Day"],
    [nthWeekday(year, 11, THURSDAY, 4), "Thanksgiving Day"],
    [observed(isoDate(year, 12, 25)), "Christmas Day"],
  ];
  return new Map(rules.filter((rule): rule is [IsoDate, string] => rule[0] !== undefined));
}

/**
 * Days of `year` that close at 13:00 when they are trading days: the day before
 * Independence Day, the day after Thanksgiving and Christmas Eve. Weekends and
 * observed holidays among them are filtered by the caller.
 */
export function nyseEarlyCloseCandidates(year: number): readonly IsoDate[] {
  return [isoDate(year, 7, 3), addDays(nthWeekday(year, 11, THURSDAY, 4), 1), isoDate(year, 12, 24)];
}
