import { TOPICS, ValidationError, isRetriable, type Article } from "@hdp/shared";
import {
  addDays,
  exchangeTime,
  parseIsoDate,
  previousTradingDay,
  sessionFor,
  tradingDaysBetween,
  type IsoDate,
} from "@hdp/shared";
import { describeError, type JobContext, type TickerFailure } from "./context.js";
import { publishValidated } from "./publish.js";

export interface BackfillOptions {
  /** First exchange date, inclusive (`YYYY-MM-DD`). */
  readonly from: IsoDate;
  /** Last exchange date, inclusive. */
  readonly to: IsoDate;
  /** Nothing at or after this instant is fetched (a backfill reaching today stops at now). */
  readonly now: Date;
  /** Also publish each day's news. @default true */
  readonly news?: boolean;
  /** Receives one progress line per ticker and day, e.g. `backfill: 3/10 days, 2024-03-05 AAPL 390 bars`. */
  readonly onProgress?: (line: string) => void;
}

export interface BackfillResult {
  readonly days: number;
  readonly bars: number;
  readonly articles: number;
  readonly rejected: number;
  readonly failures: readonly (TickerFailure & { readonly date: IsoDate })[];
}

/**
 * The news window attributed to trading day `date`: from midnight after the
 * previous trading day to midnight after `date` (New York), so that weekend and
 * holiday news lands on the next trading day.
 */
export function newsWindowFor(date: IsoDate): { from: Date; to: Date } {
  return {
    from: exchangeTime(addDays(previousTradingDay(date), 1), 0, 0),
    to: exchangeTime(addDays(date, 1), 0, 0),
  };
}

/**
 * Publishes every regular-session bar (and, by default, the news) of each
 * trading day from `from` to `to`, ticker by ticker, reporting progress. A
 * retriable failure is reported and the backfill goes on; a non-retriable one
 * (a refused key, a missing plan) would fail every day alike, so it stops the run.
 * It ignores the in-process guard: a backfill re-publishes on purpose, and the
 * downstream upserts make that harmless.
 */
export async function runBackfill(context: JobContext, options: BackfillOptions): Promise<BackfillResult> {
  parseIsoDate(options.from);
  parseIsoDate(options.to);
  if (options.from > options.to) {
    throw new ValidationError([`--from: ${options.from} is after --to ${options.to}`]);
  }
  const { logger } = context;
  const { now } = options;
  const days = tradingDaysBetween(options.from, options.to);
  const progress = options.onProgress ?? ((line: string) => logger.info(line));
  const failures: (TickerFailure & { date: IsoDate })[] = [];
  const publishedIds = new Set<string>();
  let [bars, articles, rejected] = [0, 0, 0];

  for (const [index, date] of days.entries()) {
    const session = sessionFor(date);
    if (!session || session.open >= now) break;
    const barsTo = new Date(Math.min(session.close.getTime(), now.getTime()));
    const newsWindow = newsWindowFor(date);
    const newsTo = new Date(Math.min(newsWindow.to.getTime(), now.getTime()));
    for (const ticker of context.tickers) {
      try {
        const dayBars = await context.market.fetchBars({ ticker, from: session.open, to: barsTo });
        const barCount = await publishValidated(context.producer, logger, TOPICS.bars, dayBars, now);
        let line = `backfill: ${index + 1}/${days.length} days, ${date} ${ticker} ${barCount.published} bars`;
        bars += barCount.published;
        rejected += barCount.rejected;
        if (options.news ?? true) {
          const found = await context.news.fetchNews({ ticker, from: newsWindow.from, to: newsTo });
          const fresh: Article[] = found.filter((a) => !publishedIds.has(a.id));
          const newsCount = await publishValidated(context.producer, logger, TOPICS.news, fresh, now);
          for (const article of fresh) publishedIds.add(article.id);
          articles += newsCount.published;
          rejected += newsCount.rejected;
          line += `, ${newsCount.published} articles`;
        }
        progress(line);
      } catch (error) {
        failures.push({ ticker, date, error });
        logger.error(
          { ticker, date, err: error },
          `backfill: ${date} ${ticker} failed: ${describeError(error)}`,
        );
        if (!isRetriable(error)) return { days: index + 1, bars, articles, rejected, failures };
      }
    }
  }
  return { days: days.length, bars, articles, rejected, failures };
}
