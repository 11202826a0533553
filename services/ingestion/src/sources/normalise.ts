import type { Article, Bar } from "@hdp/shared";
import { isMarketOpen } from "@hdp/shared";
import type { RangeRequest } from "./types.js";

/**
 * Keeps the bars that start inside `[from, to)` and inside a regular session,
 * one per minute (a later duplicate replaces an earlier one), in time order.
 */
export function keepSessionBars(bars: readonly Bar[], range: Pick<RangeRequest, "from" | "to">): Bar[] {
  const byStart = new Map<number, Bar>();
  for (const bar of bars) {
    const start = new Date(bar.start);
    if (start >= range.from && start < range.to && isMarketOpen(start)) byStart.set(start.getTime(), bar);
  }
  return [...byStart.entries()].sort(([a], [b]) => a - b).map(([, bar]) => bar);
}

/** Keeps the articles published inside `[from, to)`, each id once, newest first. */
export function keepArticles(
  articles: readonly Article[],
  range: Pick<RangeRequest, "from" | "to">,
): Article[] {
  const byId = new Map<string, Article>();
  for (const article of articles) {
    const at = new Date(article.publishedAt);
    if (at >= range.from && at < range.to && !byId.has(article.id)) byId.set(article.id, article);
  }
  return [...byId.values()].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
}
