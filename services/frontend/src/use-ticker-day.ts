import { fetchCandles, fetchNews } from "./api.js";
import { exchangeDate, type IsoDate } from "./calendar.js";
import type { Candle, NewsItem } from "./contracts.js";
import { newsWindow, isInNewsWindow } from "./news/news-window.js";
import { mergeBar, mergeNews } from "./stream/merge.js";
import { useLiveStream, type StreamStatus } from "./stream/use-live-stream.js";
import { useLoadable, type Loadable } from "./use-loadable.js";

const NEWS_LIMIT = 50;

/** What the page shows of one ticker on one date. */
export interface TickerDayData {
  readonly candles: Loadable<Candle[]>;
  readonly reloadCandles: () => void;
  readonly news: Loadable<NewsItem[]>;
  readonly reloadNews: () => void;
  readonly stream: StreamStatus;
}

/**
 * Loads the bars and news of `ticker` on `date`, and keeps them live from the stream when
 * `live` (the latest session). A bar of a later session calls `onNewSession`, so that the
 * page can learn the new latest date. Without a date yet (the days still loading) there is
 * nothing to load: both stay empty.
 */
export function useTickerDay(
  ticker: string,
  date: IsoDate | undefined,
  live: boolean,
  onNewSession: () => void,
): TickerDayData {
  const key = `${ticker}/${date ?? ""}`;
  const candles = useLoadable(key, async (signal) =>
    date === undefined ? [] : (await fetchCandles(ticker, date, signal)).candles,
  );
  const news = useLoadable(key, async (signal) =>
    date === undefined ? [] : (await fetchNews(ticker, newsWindow(date), NEWS_LIMIT, signal)).items,
  );

  const { update: updateCandles, reload: reloadCandles } = candles;
  const { update: updateNews } = news;
  const onBar = (bar: Candle) => {
    const barDate = exchangeDate(new Date(bar.t));
    if (date === undefined) return;
    if (barDate === date) updateCandles((bars) => mergeBar(bars, bar));
    // A bar of a later session: this chart's day is over, the page moves to the new one.
    else if (barDate > date) onNewSession();
  };
  const onNews = (item: NewsItem) => {
    if (date !== undefined && isInNewsWindow(date, item.publishedAt))
      updateNews((items) => mergeNews(items, item));
  };
  const stream = useLiveStream(ticker, live && date !== undefined, {
    onBar,
    onNews,
    onResync: reloadCandles,
  });
  return { candles: candles.state, reloadCandles, news: news.state, reloadNews: news.reload, stream };
}
