import { useMemo } from "react";
import { fetchCandles, fetchNews } from "./api.js";
import { exchangeDate, sessionFor, type IsoDate } from "./calendar.js";
import { CandleChart } from "./chart/CandleChart.js";
import type { Candle, NewsItem } from "./contracts.js";
import { NewsList } from "./news/NewsList.js";
import { NEWS_DAYS, isInNewsWindow, newsWindow } from "./news/news-window.js";
import { StatusMessage } from "./StatusMessage.js";
import { FreshnessBadge } from "./status/FreshnessBadge.js";
import { mergeBar, mergeNews } from "./stream/merge.js";
import { useLiveStream, type StreamStatus } from "./stream/use-live-stream.js";
import { useLoadable } from "./use-loadable.js";

const NEWS_LIMIT = 50;

/**
 * Chart and news of one ticker on one date; live from the stream when `live` (the
 * latest session). A bar of a later session calls `onNewSession` so that the page
 * can learn the new latest date.
 */
export function TickerDay({
  ticker,
  date,
  live,
  onNewSession,
}: {
  ticker: string;
  date: IsoDate;
  live: boolean;
  onNewSession: () => void;
}) {
  const key = `${ticker}/${date}`;
  const candles = useLoadable(key, async (signal) => (await fetchCandles(ticker, date, signal)).candles);
  const news = useLoadable(
    key,
    async (signal) => (await fetchNews(ticker, newsWindow(date), NEWS_LIMIT, signal)).items,
  );

  const { update: updateCandles, reload: reloadCandles } = candles;
  const { update: updateNews } = news;
  const onBar = (bar: Candle) => {
    const barDate = exchangeDate(new Date(bar.t));
    if (barDate === date) updateCandles((bars) => mergeBar(bars, bar));
    // A bar of a later session: this chart's day is over, the page moves to the new one.
    else if (barDate > date) onNewSession();
  };
  const onNews = (item: NewsItem) => {
    if (isInNewsWindow(date, item.publishedAt)) updateNews((items) => mergeNews(items, item));
  };
  const stream = useLiveStream(ticker, live, { onBar, onNews, onResync: reloadCandles });
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
        {candles.state.status === "loading" && <StatusMessage kind="loading">Loading bars…</StatusMessage>}
        {candles.state.status === "error" && (
          <StatusMessage kind="error" onRetry={candles.reload}>
            Could not load the bars: {candles.state.message}
          </StatusMessage>
        )}
        {candles.state.status === "ready" && candles.state.data.length === 0 && (
          <StatusMessage kind="empty">
            No bars for {ticker} on {date}
            {live ? " yet; they appear here as the session trades." : "."}
          </StatusMessage>
        )}
        {candles.state.status === "ready" && candles.state.data.length > 0 && (
          <CandleChart
            candles={candles.state.data}
            viewKey={key}
            liveUntil={liveUntil}
            label={`Candlestick chart of ${ticker} on ${date}, ${candles.state.data.length} one-minute bars, with EMA9 and volume`}
          />
        )}
      </section>
      <section className="panel panel--news" aria-labelledby="news-heading">
        <h2 id="news-heading">News, last {NEWS_DAYS} days</h2>
        {news.state.status === "loading" && <StatusMessage kind="loading">Loading news…</StatusMessage>}
        {news.state.status === "error" && (
          <StatusMessage kind="error" onRetry={news.reload}>
            Could not load the news: {news.state.message}
          </StatusMessage>
        )}
        {news.state.status === "ready" && news.state.data.length === 0 && (
          <StatusMessage kind="empty">No news for {ticker} in these days.</StatusMessage>
        )}
        {news.state.status === "ready" && news.state.data.length > 0 && <NewsList items={news.state.data} />}
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
