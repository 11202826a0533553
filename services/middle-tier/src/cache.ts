import { exchangeDate, sessionFor, type IsoDate } from "@hdp/shared";

/** A day whose session has ended no longer changes: caches may keep it a day. */
export const CACHE_CLOSED_DAY = "public, max-age=86400";
/** Today's data changes every minute: revalidate on every use. */
export const CACHE_LIVE = "no-cache";

/**
 * `Cache-Control` for the bars of exchange day `date` at `now`: long for a day
 * before today (or today after its close), `no-cache` while today can still change.
 */
export function cacheControlForDay(date: IsoDate, now: Date): string {
  const today = exchangeDate(now);
  if (date < today) return CACHE_CLOSED_DAY;
  const session = sessionFor(date);
  if (date === today && session !== undefined && now >= session.close) return CACHE_CLOSED_DAY;
  return CACHE_LIVE;
}
