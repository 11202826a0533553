import { TOPICS } from "@hdp/shared";
import {
  closureReason,
  exchangeDate,
  isEarlyClose,
  sessionFor,
  startOfMinute,
  type IsoDate,
} from "@hdp/shared";
import { describeError, type JobContext, type TickerFailure } from "./context.js";
import { publishValidated } from "./publish.js";

const MINUTE_MS = 60_000;

/** The completed minutes to fetch at some instant, or why there are none. */
export type MarketWindow =
  | { readonly open: true; readonly date: IsoDate; readonly from: Date; readonly to: Date }
  | { readonly open: false; readonly reason: string };

/**
 * The last `minutes` whole minutes that ended by `now`, clipped to the regular
 * session they belong to. At 16:00:30 the 15:59 bar is still due; at 09:30:30
 * no minute of the session has completed yet.
 */
export function marketWindow(now: Date, minutes = 1): MarketWindow {
  const to = startOfMinute(now);
  const date = exchangeDate(new Date(to.getTime() - 1));
  const session = sessionFor(date);
  if (!session)
    return { open: false, reason: `${date} is not a trading day (${closureReason(date) ?? "closed"})` };
  const from = new Date(Math.max(to.getTime() - minutes * MINUTE_MS, session.open.getTime()));
  const end = new Date(Math.min(to.getTime(), session.close.getTime()));
  if (from >= end) {
    const close = isEarlyClose(date) ? "13:00 (early close)" : "16:00";
    return { open: false, reason: `outside regular hours: ${date} trades 09:30-${close} New York time` };
  }
  return { open: true, date, from, to: end };
}

export interface MarketRunOptions {
  /** The instant the job runs at. */
  readonly now: Date;
  /** Completed minutes to (re)fetch. @default 1 */
  readonly minutes?: number;
}

export type MarketRunResult =
  | { readonly status: "skipped"; readonly reason: string }
  | {
      readonly status: "ran";
      readonly from: Date;
      readonly to: Date;
      readonly published: number;
      readonly rejected: number;
      readonly failures: readonly TickerFailure[];
    };

/**
 * Publishes the bars of the last completed minute(s) of the session to
 * `TOPICS.bars`, keyed by ticker. Does nothing, and says why, outside regular
 * hours and on closed days. Bars this process already published are skipped
 * (see PublishedGuard). A ticker that fails is logged and reported; the others
 * go on.
 */
export async function runMarketOnce(
  context: JobContext,
  options: MarketRunOptions,
): Promise<MarketRunResult> {
  const { logger, guard } = context;
  const window = marketWindow(options.now, options.minutes ?? 1);
  if (!window.open) {
    logger.info({ now: options.now.toISOString() }, `market: nothing to do, ${window.reason}`);
    return { status: "skipped", reason: window.reason };
  }
  let published = 0;
  let rejected = 0;
  const failures: TickerFailure[] = [];
  for (const ticker of context.tickers) {
    try {
      const bars = guard.newBars(
        ticker,
        await context.market.fetchBars({ ticker, from: window.from, to: window.to }),
      );
      const count = await publishValidated(context.producer, logger, TOPICS.bars, bars, options.now);
      for (const bar of bars) guard.recordBar(ticker, bar.start);
      published += count.published;
      rejected += count.rejected;
    } catch (error) {
      failures.push({ ticker, error });
      logger.error({ ticker, err: error }, `market: ${ticker} failed: ${describeError(error)}`);
    }
  }
  logger.info(
    {
      source: context.market.name,
      from: window.from.toISOString(),
      to: window.to.toISOString(),
      published,
      rejected,
    },
    `market: published ${published} bars from ${context.market.name}`,
  );
  return { status: "ran", from: window.from, to: window.to, published, rejected, failures };
}
