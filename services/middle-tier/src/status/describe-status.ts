import { EXCHANGE_MIC, TOPICS, marketSessionAt, type StatusResponse, type TickerStatus } from "@hdp/shared";
import { FRESH_SECONDS, LATE_SECONDS, behindSeconds, freshnessOf, worstFreshness } from "./freshness.js";
import { DEAD_LETTER_WINDOW_SECONDS, type StatusSnapshot } from "./status-reader.js";

/** A ticker is followed while its newest bar is at most this old; older ones are left out. */
export const FOLLOWED_WITHIN_DAYS = 7;

const BAR_MS = 60_000;
const DAY_MS = 86_400_000;

/** Seconds from `instant` to `now`, 0 when `instant` is later. */
const secondsSince = (instant: Date, now: Date) => Math.max(0, (now.getTime() - instant.getTime()) / 1000);

/** The `GET /v1/status` answer for `snapshot` at `now` (ages and the session state on that clock). */
export function describeStatus(snapshot: StatusSnapshot, now: Date): StatusResponse {
  const market = marketSessionAt(now);
  const followedSince = now.getTime() - FOLLOWED_WITHIN_DAYS * DAY_MS;
  const tickers = snapshot.lastBars
    .filter((row) => row.startAt.getTime() >= followedSince)
    .map((row): TickerStatus => {
      const end = new Date(row.startAt.getTime() + BAR_MS);
      const behind = behindSeconds(end, market, now);
      return {
        ticker: row.ticker,
        lastBarStart: row.startAt.toISOString(),
        lastBarEnd: end.toISOString(),
        ageSeconds: secondsSince(end, now),
        behindSeconds: behind,
        freshness: freshnessOf(behind),
      };
    });
  const byTopic: Record<string, number> = Object.fromEntries(
    Object.values(TOPICS).map((topic) => [topic, 0]),
  );
  for (const row of snapshot.deadLetters) byTopic[row.topic] = row.count;
  const article = snapshot.lastArticle;
  return {
    at: now.toISOString(),
    freshness: worstFreshness(tickers.map((t) => t.freshness)),
    thresholds: { freshSeconds: FRESH_SECONDS, lateSeconds: LATE_SECONDS },
    market: {
      exchange: EXCHANGE_MIC,
      open: market.open,
      sessionOpenedAt: market.current?.open.toISOString() ?? null,
      elapsedSeconds: market.elapsedSeconds,
      nextClose: (market.current ?? market.next).close.toISOString(),
      nextOpen: market.next.open.toISOString(),
      previousClose: market.previous.close.toISOString(),
    },
    tickers,
    lastArticle: article
      ? {
          id: article.id,
          publishedAt: article.publishedAt.toISOString(),
          scoredAt: article.scoredAt.toISOString(),
          ageSeconds: secondsSince(article.publishedAt, now),
        }
      : null,
    deadLetters: {
      windowSeconds: DEAD_LETTER_WINDOW_SECONDS,
      total: snapshot.deadLetters.reduce((sum, row) => sum + row.count, 0),
      byTopic,
    },
  };
}
