import type { IsoDate } from "../calendar.js";
import type { Candle, TickerSummary } from "../contracts.js";

/** A ticker's last price on a day and its change against the previous trading day's last close. */
export interface Quote {
  readonly lastPrice: number;
  readonly change: number | null;
  readonly changePercent: number | null;
}

/**
 * The quotes of the tickers on `date`, by ticker, from their summaries as of that day
 * (`GET /v1/tickers?date=`); a ticker without a bar that day has none.
 */
export function quotesOn(date: IsoDate, summaries: readonly TickerSummary[]): Map<string, Quote> {
  return new Map(summaries.filter((s) => s.date === date).map((s) => [s.ticker, s]));
}

/**
 * A ticker's quote on `date` as the page shows it: the last price is the close of the
 * newest bar on the chart (live bars included) when there is one, the change is against
 * the previous close of the day's summary. Undefined until that day's summary is known.
 */
export function liveQuote(
  summary: TickerSummary | undefined,
  date: IsoDate,
  candles: readonly Candle[] | undefined,
): Quote | undefined {
  if (summary === undefined || summary.date !== date) return undefined;
  const lastPrice = candles?.at(-1)?.close ?? summary.lastPrice;
  const { previousClose } = summary;
  if (previousClose === null) return { lastPrice, change: null, changePercent: null };
  const change = lastPrice - previousClose;
  return { lastPrice, change, changePercent: (change / previousClose) * 100 };
}
