import { formatChange, formatPrice } from "./format.js";
import type { Quote } from "./quote.js";

/**
 * The labelled ticker selector; each option shows the ticker's last price and change on the
 * chosen day, when it has bars that day (`quotes`).
 */
export function TickerSelect({
  tickers,
  quotes,
  value,
  onChange,
}: {
  tickers: readonly string[];
  quotes: ReadonlyMap<string, Quote>;
  value: string;
  onChange: (ticker: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor="ticker">Ticker</label>
      <select id="ticker" value={value} onChange={(event) => onChange(event.target.value)}>
        {tickers.map((ticker) => {
          const quote = quotes.get(ticker);
          return (
            <option key={ticker} value={ticker}>
              {quote ? `${ticker} · ${formatPrice(quote.lastPrice)} · ${formatChange(quote).text}` : ticker}
            </option>
          );
        })}
      </select>
    </div>
  );
}
