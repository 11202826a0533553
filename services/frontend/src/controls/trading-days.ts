import { isTradingDay, previousTradingDay, type IsoDate } from "../calendar.js";

/** How many trading days back the date picker offers. */
export const PICKER_DAYS = 20;

/**
 * The dates the picker offers, newest first: the `count` NYSE trading days up to
 * and including `latest` (the ticker's latest date with data). Weekends and
 * holidays never appear; a `latest` that is not a trading day starts from the one before.
 */
export function tradingDayOptions(latest: IsoDate, count: number = PICKER_DAYS): IsoDate[] {
  const days: IsoDate[] = [];
  let day = isTradingDay(latest) ? latest : previousTradingDay(latest);
  while (days.length < count) {
    days.push(day);
    day = previousTradingDay(day);
  }
  return days;
}

/** The date to show: the one asked for when the picker offers it, otherwise the newest offered. */
export function clampToOptions(
  requested: IsoDate | undefined,
  options: readonly IsoDate[],
): IsoDate | undefined {
  return requested !== undefined && options.includes(requested) ? requested : options[0];
}
