import { useMemo, useState } from "react";
import { fetchTickers } from "./api.js";
import type { IsoDate } from "./calendar.js";
import { DatePicker } from "./controls/DatePicker.js";
import { TickerSelect } from "./controls/TickerSelect.js";
import { formatChange, formatPrice } from "./controls/format.js";
import { clampToOptions, tradingDayOptions } from "./controls/trading-days.js";
import { StatusMessage } from "./StatusMessage.js";
import { TickerDay } from "./TickerDay.js";
import { useLoadable } from "./use-loadable.js";

/** The page: pick a ticker and a trading day, see its chart and news. */
export function App() {
  const tickers = useLoadable("tickers", fetchTickers);
  const [chosenTicker, setChosenTicker] = useState<string>();
  const [chosenDate, setChosenDate] = useState<IsoDate>();

  const list = tickers.state.status === "ready" ? tickers.state.data : [];
  const summary = list.find((t) => t.ticker === chosenTicker) ?? list[0];
  const dates = useMemo(() => (summary ? tradingDayOptions(summary.date) : []), [summary]);
  const date = clampToOptions(chosenDate, dates);

  return (
    <>
      <header className="page-header">
        <h1>Market data</h1>
        <p>One-minute bars, EMA9 and news sentiment · times in New York (ET)</p>
      </header>
      <main>
        {tickers.state.status === "loading" && <StatusMessage kind="loading">Loading tickers…</StatusMessage>}
        {tickers.state.status === "error" && (
          <StatusMessage kind="error" onRetry={tickers.reload}>
            Could not load the tickers: {tickers.state.message}
          </StatusMessage>
        )}
        {tickers.state.status === "ready" && !summary && (
          <StatusMessage kind="empty">No tickers have data yet.</StatusMessage>
        )}
        {summary && date && (
          <>
            <form
              className="controls"
              onSubmit={(event) => event.preventDefault()}
              aria-label="Choose the data"
            >
              <TickerSelect tickers={list} value={summary.ticker} onChange={setChosenTicker} />
              <DatePicker options={dates} value={date} onChange={setChosenDate} />
              <p className="quote" aria-label={`Last price of ${summary.ticker}`}>
                <span className="quote-price">{formatPrice(summary.lastPrice)}</span>{" "}
                <span className={`change change--${formatChange(summary).direction}`}>
                  {formatChange(summary).text}
                </span>
              </p>
            </form>
            <TickerDay
              ticker={summary.ticker}
              date={date}
              live={date === dates[0]}
              onNewSession={tickers.reload}
            />
          </>
        )}
      </main>
    </>
  );
}
