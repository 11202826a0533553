import type { TickerSummary } from "../contracts.js";
import { formatChange, formatPrice } from "./format.js";

/** The labelled ticker selector; each option shows the last price and the change on the day. */
export function TickerSelect({
  tickers,
  value,
  onChange,
}: {
  tickers: readonly TickerSummary[];
  value: string;
  onChange: (ticker: string) => void;
}) {
  return (
    <div className="field">
      <label htmlFor="ticker">Ticker</label>
      <select id="ticker" value={value} onChange={(event) => onChange(event.target.value)}>
        {tickers.map((t) => (
          <option key={t.ticker} value={t.ticker}>
            {`${t.ticker} · ${formatPrice(t.lastPrice)} · ${formatChange(t).text}`}
          </option>
        ))}
      </select>
    </div>
  );
}
