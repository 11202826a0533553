import type { Candle, NewsItem } from "../contracts.js";

/**
 * Merges one streamed bar into a day's bars (oldest first) without mutating them.
 * A bar for a minute already present replaces it (the minute is still forming or
 * was restated); a newer one is appended; an older one that was missed is
 * inserted at its place, so the order always holds.
 */
export function mergeBar(bars: readonly Candle[], bar: Candle): Candle[] {
  const time = Date.parse(bar.t);
  let index = bars.length;
  while (index > 0 && Date.parse(bars[index - 1]!.t) > time) index--;
  const previous = bars[index - 1];
  if (previous !== undefined && Date.parse(previous.t) === time) {
    return [...bars.slice(0, index - 1), bar, ...bars.slice(index)];
  }
  return [...bars.slice(0, index), bar, ...bars.slice(index)];
}

/**
 * Merges one streamed article into a list (newest first). An article already
 * listed is replaced in place (it was scored since); a new one goes at its place
 * by publication time, usually the top.
 */
export function mergeNews(items: readonly NewsItem[], item: NewsItem): NewsItem[] {
  const existing = items.findIndex((other) => other.id === item.id);
  if (existing !== -1) return items.map((other, i) => (i === existing ? item : other));
  const time = Date.parse(item.publishedAt);
  const index = items.findIndex((other) => Date.parse(other.publishedAt) < time);
  return index === -1 ? [...items, item] : [...items.slice(0, index), item, ...items.slice(index)];
}
