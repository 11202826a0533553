import { fetchTickers } from "./api.js";
import { MarketView } from "./MarketView.js";
import { StatusMessage } from "./StatusMessage.js";
import { useLoadable } from "./use-loadable.js";

/** The page: pick a ticker and a trading day, see its chart and news. */
export function App() {
  const tickers = useLoadable("tickers", (signal) => fetchTickers(undefined, signal));
  const list = tickers.state.status === "ready" ? tickers.state.data : [];

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
        {tickers.state.status === "ready" && list.length === 0 && (
          <StatusMessage kind="empty">No tickers have data yet.</StatusMessage>
        )}
        {list.length > 0 && <MarketView tickers={list} onNewSession={tickers.reload} />}
      </main>
    </>
  );
}
