import { ONE_OFF_CLOSURES, nyseEarlyCloseCandidates, nyseHolidays } from "./holidays.js";
import { addDays, exchangeDate, exchangeTime, parseIsoDate, weekday, type IsoDate } from "./iso-date.js";

/** One regular trading session: `open` inclusive, `close` exclusive. */
export interface TradingSession {
  readonly open: Date;
  readonly close: Date;
}

/** Regular session hours in New York, and the close of an early-close day. */
export const REGULAR_OPEN = { hour: 9, minute: 30 } as const;
export const REGULAR_CLOSE = { hour: 16, minute: 0 } as const;
export const EARLY_CLOSE = { hour: 13, minute: 0 } as const;

const MINUTE_MS = 60_000;

interface YearCalendar {
  readonly closed: ReadonlyMap<IsoDate, string>;
  readonly earlyCloses: ReadonlySet<IsoDate>;
}

const years = new Map<number, YearCalendar>();

function yearCalendar(year: number): YearCalendar {
  let calendar = years.get(year);
  if (!calendar) {
    const closed = new Map(nyseHolidays(year));
    for (const [date, name] of ONE_OFF_CLOSURES) if (date.startsWith(`${year}-`)) closed.set(date, name);
    const isOpenWeekday = (date: IsoDate) => weekday(date) % 6 !== 0 && !closed.has(date);
    calendar = { closed, earlyCloses: new Set(nyseEarlyCloseCandidates(year).filter(isOpenWeekday)) };
    years.set(year, calendar);
  }
  return calendar;
}

/** Why the exchange is closed on `date` (`"weekend"`, a holiday's name), or undefined on a trading day. */
export function closureReason(date: IsoDate): string | undefined {
  const { year } = parseIsoDate(date);
  if (weekday(date) % 6 === 0) return "weekend";
  return yearCalendar(year).closed.get(date);
}

/** True when NYSE holds a regular session on `date` (`YYYY-MM-DD`). */
export function isTradingDay(date: IsoDate): boolean {
  return closureReason(date) === undefined;
}

/** True when `date` is a trading day that closes at 13:00 New York time. */
export function isEarlyClose(date: IsoDate): boolean {
  return isTradingDay(date) && yearCalendar(parseIsoDate(date).year).earlyCloses.has(date);
}

/** The regular session of `date` as UTC instants, or undefined when the exchange is closed. */
export function sessionFor(date: IsoDate): TradingSession | undefined {
  if (!isTradingDay(date)) return undefined;
  const close = isEarlyClose(date) ? EARLY_CLOSE : REGULAR_CLOSE;
  return {
    open: exchangeTime(date, REGULAR_OPEN.hour, REGULAR_OPEN.minute),
    close: exchangeTime(date, close.hour, close.minute),
  };
}

/** True when `instant` falls inside a regular session (open inclusive, close exclusive). */
export function isMarketOpen(instant: Date): boolean {
  const session = sessionFor(exchangeDate(instant));
  return session !== undefined && instant >= session.open && instant < session.close;
}

/** Trading days from `from` to `to`, both inclusive, in order; empty when `from` is after `to`. */
export function tradingDaysBetween(from: IsoDate, to: IsoDate): IsoDate[] {
  parseIsoDate(to);
  const days: IsoDate[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) if (isTradingDay(date)) days.push(date);
  return days;
}

/** The last trading day strictly before `date`. */
export function previousTradingDay(date: IsoDate): IsoDate {
  let day = addDays(date, -1);
  while (!isTradingDay(day)) day = addDays(day, -1);
  return day;
}

/** The first trading day strictly after `date`. */
export function nextTradingDay(date: IsoDate): IsoDate {
  let day = addDays(date, 1);
  while (!isTradingDay(day)) day = addDays(day, 1);
  return day;
}

/**
 * The `n` most recent trading days at `now`, oldest first. Today counts once its
 * session has opened, so the last day may still be in progress.
 */
export function latestTradingDays(n: number, now: Date): IsoDate[] {
  const today = exchangeDate(now);
  const session = sessionFor(today);
  let day = session && now >= session.open ? today : previousTradingDay(today);
  const days: IsoDate[] = [];
  while (days.length < n) {
    days.unshift(day);
    day = previousTradingDay(day);
  }
  return days;
}

/** Start instants of every one-minute bar of `date`'s session (390, or 210 on an early close); none when closed. */
export function* sessionMinutes(date: IsoDate): Generator<Date> {
  const session = sessionFor(date);
  if (!session) return;
  for (let t = session.open.getTime(); t < session.close.getTime(); t += MINUTE_MS) yield new Date(t);
}

/** The start of the whole UTC minute containing `instant`. */
export function startOfMinute(instant: Date): Date {
  return new Date(Math.floor(instant.getTime() / MINUTE_MS) * MINUTE_MS);
}
