import { addDays, exchangeTime, type IsoDate } from "../calendar.js";

/** Calendar days of news shown: the chosen date and the two before it. */
export const NEWS_DAYS = 3;

/** The news query window for `date`: New York midnight `NEWS_DAYS - 1` days before, to the next midnight. */
export function newsWindow(date: IsoDate): { from: string; to: string } {
  return {
    from: exchangeTime(addDays(date, 1 - NEWS_DAYS), 0, 0).toISOString(),
    to: exchangeTime(addDays(date, 1), 0, 0).toISOString(),
  };
}

/** True when an article published at `instant` belongs in the news shown for `date`. */
export function isInNewsWindow(date: IsoDate, instant: string): boolean {
  const { from, to } = newsWindow(date);
  const time = Date.parse(instant);
  return time >= Date.parse(from) && time < Date.parse(to);
}
