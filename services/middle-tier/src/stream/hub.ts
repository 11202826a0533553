import type { Logger, Pool } from "@hdp/shared";
import { feedPosition, readFeed, type FeedPosition, type FeedUpdate } from "./feed.js";

/** Receives each ticker update; must not throw. */
export type FeedListener = (update: FeedUpdate) => void;

export interface StreamHubOptions {
  readonly pool: Pool;
  readonly logger: Logger;
  /** Time between two polls of one ticker. @default 1000 */
  readonly pollMs?: number;
}

interface TickerFeed {
  readonly listeners: Set<FeedListener>;
  readonly timer: NodeJS.Timeout;
  position: Promise<FeedPosition>;
  polling: boolean;
}

/**
 * Fans new bars and newly scored news out to stream clients: one poller per
 * ticker however many clients follow it, started by the first and stopped with the last.
 */
export class StreamHub {
  private readonly feeds = new Map<string, TickerFeed>();
  private readonly pollMs: number;

  constructor(private readonly options: StreamHubOptions) {
    this.pollMs = options.pollMs ?? 1000;
  }

  /**
   * Follows `ticker` from now on; resolves once the starting position is known, so that
   * anything stored afterwards is delivered. Returns the function that stops following.
   */
  async subscribe(ticker: string, listener: FeedListener): Promise<() => void> {
    let feed = this.feeds.get(ticker);
    if (!feed) {
      const created: TickerFeed = {
        listeners: new Set(),
        timer: setInterval(() => void this.poll(ticker, created), this.pollMs),
        position: feedPosition(this.options.pool, ticker),
        polling: false,
      };
      feed = created;
      this.feeds.set(ticker, feed);
      // A start that failed (the database away) must not stay with the ticker: the next client tries again.
      created.position.catch(() => {
        if (this.feeds.get(ticker) === created) {
          clearInterval(created.timer);
          this.feeds.delete(ticker);
        }
      });
    }
    feed.listeners.add(listener);
    await feed.position;
    const subscribed = feed;
    return () => {
      subscribed.listeners.delete(listener);
      if (subscribed.listeners.size === 0 && this.feeds.get(ticker) === subscribed) {
        clearInterval(subscribed.timer);
        this.feeds.delete(ticker);
      }
    };
  }

  /** Tickers with a running poller (for tests and metrics). */
  activeTickers(): string[] {
    return [...this.feeds.keys()];
  }

  /** Stops every poller. */
  close(): void {
    for (const feed of this.feeds.values()) clearInterval(feed.timer);
    this.feeds.clear();
  }

  private async poll(ticker: string, feed: TickerFeed): Promise<void> {
    // A slow database must not stack polls up: skip a tick while one is running.
    if (feed.polling) return;
    feed.polling = true;
    try {
      const update = await readFeed(this.options.pool, ticker, await feed.position);
      if (update.bars.length === 0 && update.news.length === 0) return;
      for (const listener of feed.listeners) listener(update);
    } catch (error) {
      // Retried at the next tick; clients keep their connection.
      this.options.logger.warn({ err: error, ticker }, "stream poll failed");
    } finally {
      feed.polling = false;
    }
  }
}
