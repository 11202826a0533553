import { useMemo } from "react";
import { sessionFor, type IsoDate } from "./calendar.js";
import { CandleChart } from "./chart/CandleChart.js";
import { NewsList } from "./news/NewsList.js";
import { NEWS_DAYS } from "./news/news-window.js";
import { StatusMessage } from "./StatusMessage.js";
import { FreshnessBadge } from "./status/FreshnessBadge.js";
import type { StreamStatus } from "./stream/use-live-stream.js";
import type { TickerDayData } from "./use-ticker-day.js";

/** Chart and news of one ticker on one date (loaded by `useTickerDay`); `live` on the latest session. */
export function TickerDay({
  ticker,
  date,
  live,
  data,
}: {
  ticker: string;
  date: IsoDate;
  live: boolean;
  data: TickerDayData;
}) {
  const { candles, news, stream } = data;
  // While live, the chart spans the session up to its close (the same Date while the day stays).
  const liveUntil = useMemo(() => (live ? sessionFor(date)?.close : undefined), [live, date]);
  return (
    <div className="day">
      <section className="panel panel--chart" aria-labelledby="chart-heading">
        <div className="panel-heading">
          <h2 id="chart-heading">
            {ticker} · {date}
          </h2>
          <div className="badges">
            <FreshnessBadge ticker={ticker} />
            <LiveBadge status={stream} />
          </div>
        </div>
        {candles.status === "loading" && <StatusMessage kind="loading">Loading bars…</StatusMessage>}
        {candles.status === "error" && (
          <StatusMessage kind="error" onRetry={data.reloadCandles}>
            Could not load the bars: {candles.message}
          </StatusMessage>
        )}
        {candles.status === "ready" && candles.data.length === 0 && (
          <StatusMessage kind="empty">
            No bars for {ticker} on {date}
            {live ? " yet; they appear here as the session trades." : "."}
          </StatusMessage>
        )}
        {candles.status === "ready" && candles.data.length > 0 && (
          <CandleChart
            candles={candles.data}
            viewKey={`${ticker}/${date}`}
            liveUntil={liveUntil}
            label={`Candlestick chart of ${ticker} on ${date}, ${candles.data.length} one-minute bars, with EMA9 and volume`}
          />
        )}
      </section>
      <section className="panel panel--news" aria-labelledby="news-heading">
        <h2 id="news-heading">News, last {NEWS_DAYS} days</h2>
        {news.status === "loading" && <StatusMessage kind="loading">Loading news…</StatusMessage>}
        {news.status === "error" && (
          <StatusMessage kind="error" onRetry={data.reloadNews}>
            Could not load the news: {news.message}
          </StatusMessage>
        )}
        {news.status === "ready" && news.data.length === 0 && (
          <StatusMessage kind="empty">No news for {ticker} in these days.</StatusMessage>
        )}
        {news.status === "ready" && news.data.length > 0 && <NewsList items={news.data} />}
      </section>
    </div>
  );
}

const LIVE_TEXT: Record<StreamStatus, string | null> = {
  off: null,
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
};

function LiveBadge({ status }: { status: StreamStatus }) {
  const text = LIVE_TEXT[status];
  return (
    <span className={`live live--${status}`} role="status">
      {text}
    </span>
  );
}
