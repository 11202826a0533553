/**
 * What this process has already published, so that running a job again for the
 * same minute publishes nothing new.
 *
 * Why both this and idempotent messages: a re-published bar carries the same key
 * (ticker) and, for the same source answer, the same value, so the processing
 * service's upsert makes it a no-op anyway. The guard only saves the bus and the
 * consumers that work within one long-running process (`--follow`, the sensor
 * agent). It is not persisted: a new process may publish a minute again, safely.
 */
export class PublishedGuard {
  private readonly lastBarStart = new Map<string, number>();
  private readonly articleIds = new Set<string>();
  private readonly maxArticleIds: number;

  /** @param maxArticleIds article ids remembered before the oldest are forgotten @default 10000 */
  constructor(maxArticleIds = 10_000) {
    this.maxArticleIds = maxArticleIds;
  }

  /** Keeps the items that start after the last one published for `ticker`. */
  newBars<T extends { readonly start: string }>(ticker: string, bars: readonly T[]): T[] {
    const last = this.lastBarStart.get(ticker) ?? Number.NEGATIVE_INFINITY;
    return bars.filter((bar) => Date.parse(bar.start) > last);
  }

  /** Records that `ticker`'s bars up to and including `start` are published. */
  recordBar(ticker: string, start: string): void {
    const at = Date.parse(start);
    if (at > (this.lastBarStart.get(ticker) ?? Number.NEGATIVE_INFINITY)) this.lastBarStart.set(ticker, at);
  }

  /** Keeps the articles whose ids this process has not published. */
  newArticles<T extends { readonly id: string }>(articles: readonly T[]): T[] {
    return articles.filter((article) => !this.articleIds.has(article.id));
  }

  /** Records a published article id, forgetting the oldest beyond the limit. */
  recordArticle(id: string): void {
    this.articleIds.add(id);
    if (this.articleIds.size > this.maxArticleIds) {
      const oldest = this.articleIds.values().next();
      if (!oldest.done) this.articleIds.delete(oldest.value);
    }
  }
}
