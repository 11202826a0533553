import { closureReason, exchangeDate, type IsoDate } from "@hdp/shared";

/**
 * Why a session date asked for can have no bars, on the API's clock at `now`: the exchange is
 * closed that day (a weekend, a holiday, a one-off closure), or the day has not come yet.
 * Undefined for a trading day up to today, which may have bars (or not yet, before the open).
 */
export function noSessionReason(date: IsoDate, now: Date): string | undefined {
  const closed = closureReason(date);
  if (closed !== undefined) return `the exchange is closed on ${date} (${closed})`;
  const today = exchangeDate(now);
  if (date > today) return `${date} is after today (${today}): no bars yet`;
  return undefined;
}
