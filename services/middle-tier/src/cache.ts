import { sessionFor, type IsoDate } from "@hdp/shared";

/** A day whose session has ended and whose bars are all stored no longer changes: caches may keep it a day. */
export const CACHE_CLOSED_DAY = "public, max-age=86400";
/** Today's data changes every minute: revalidate on every use. */
export const CACHE_LIVE = "no-cache";

const MINUTE_MS = 60_000;

/**
 * Whether the bars of exchange day `date` are final: its session is over at `now`
 * and the stored bars cover it up to its close, the newest starting at `lastBarStart`
 * (undefined: none stored). `now` is the clock that produced the data (the service's:
 * the replay's in a local run, which may be hours behind the wall clock), never the wall
 * clock. A day without a session, or whose last minutes are not stored yet (processing
 * still catching up, a backfill under way), is not final.
 */
export function isDayFinal(date: IsoDate, now: Date, lastBarStart: Date | undefined): boolean {
  const session = sessionFor(date);
  if (session === undefined || now < session.close || lastBarStart === undefined) return false;
  return lastBarStart.getTime() + MINUTE_MS >= session.close.getTime();
}

/** `Cache-Control` for the bars of exchange day `date` (see {@link isDayFinal}). */
export function cacheControlForDay(date: IsoDate, now: Date, lastBarStart: Date | undefined): string {
  return isDayFinal(date, now, lastBarStart) ? CACHE_CLOSED_DAY : CACHE_LIVE;
}
