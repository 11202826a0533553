import { useEffect, useMemo, useState } from "react";
import { fetchDays, fetchTickers } from "./api.js";
import type { IsoDate } from "./calendar.js";
import type { TickerSummary } from "./contracts.js";
import { DatePicker } from "./controls/DatePicker.js";
import { TickerSelect } from "./controls/TickerSelect.js";
import { formatChange, formatPrice } from "./controls/format.js";
import { liveQuote, quotesOn, type Quote } from "./controls/quote.js";
import { clampToOptions } from "./controls/trading-days.js";
import { StatusMessage } from "./StatusMessage.js";
import { TickerDay } from "./TickerDay.js";
import { useLoadable } from "./use-loadable.js";
import { useTickerDay } from "./use-ticker-day.js";

/** How often the other tickers' prices in the menu are read again while the latest day is shown. */
export const MENU_REFRESH_MS = 60_000;

/**
 * The chosen ticker and day: the controls (ticker menu, the days that have bars, the day's
 * price), the chart and the news. The price in the header and in the menu is the chosen
 * day's, and follows the live bars on the latest day.
 */
export function MarketView({
  tickers,
  onNewSession,
}: {
  /** Every ticker with bars (not empty). */
  tickers: readonly TickerSummary[];
  onNewSession: () => void;
}) {
  const [chosenTicker, setChosenTicker] = useState<string>();
  const [chosenDate, setChosenDate] = useState<IsoDate>();
  const ticker = (tickers.find((t) => t.ticker === chosenTicker) ?? tickers[0])?.ticker ?? "";

  const days = useLoadable(`days/${ticker}`, (signal) => fetchDays(ticker, signal));
  const dates = useMemo(
    () => (days.state.status === "ready" ? days.state.data.days.map((d) => d.date) : []),
    [days.state],
  );
  const date = clampToOptions(chosenDate, dates);
  const live = date !== undefined && date === dates[0];

  // Every ticker as of the chosen day, for the menu and the header.
  const summaries = useLoadable(`summaries/${date ?? ""}`, (signal) =>
    date === undefined ? Promise.resolve([]) : fetchTickers(date, signal),
  );
  const { reload: reloadSummaries } = summaries;
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(reloadSummaries, MENU_REFRESH_MS);
    return () => clearInterval(timer);
  }, [live, reloadSummaries]);

  const { reload: reloadDays } = days;
  const day = useTickerDay(ticker, date, live, () => {
    onNewSession();
    reloadDays();
  });

  const list = summaries.state.status === "ready" ? summaries.state.data : [];
  const quote =
    date === undefined
      ? undefined
      : liveQuote(
          list.find((s) => s.ticker === ticker),
          date,
          day.candles.status === "ready" ? day.candles.data : undefined,
        );
  const menuQuotes = date === undefined ? new Map<string, Quote>() : quotesOn(date, list);
  if (quote) menuQuotes.set(ticker, quote);

  return (
    <>
      <form className="controls" onSubmit={(event) => event.preventDefault()} aria-label="Choose the data">
        <TickerSelect
          tickers={tickers.map((t) => t.ticker)}
          quotes={menuQuotes}
          value={ticker}
          onChange={setChosenTicker}
        />
        {date !== undefined && <DatePicker options={dates} value={date} onChange={setChosenDate} />}
        {date !== undefined && <QuoteLine ticker={ticker} date={date} quote={quote} />}
      </form>
      {days.state.status === "loading" && <StatusMessage kind="loading">Loading trading days…</StatusMessage>}
      {days.state.status === "error" && (
        <StatusMessage kind="error" onRetry={days.reload}>
          Could not load the trading days: {days.state.message}
        </StatusMessage>
      )}
      {days.state.status === "ready" && date === undefined && (
        <StatusMessage kind="empty">No trading day with bars for {ticker} yet.</StatusMessage>
      )}
      {date !== undefined && <TickerDay ticker={ticker} date={date} live={live} data={day} />}
    </>
  );
}

/** The chosen day's last price and change (empty while they load). */
function QuoteLine({ ticker, date, quote }: { ticker: string; date: IsoDate; quote: Quote | undefined }) {
  const change = quote && formatChange(quote);
  return (
    <p className="quote" aria-label={`Last price of ${ticker} on ${date}`}>
      {quote && change && (
        <>
          <span className="quote-price">{formatPrice(quote.lastPrice)}</span>{" "}
          <span className={`change change--${change.direction}`}>{change.text}</span>
        </>
      )}
    </p>
  );
}
