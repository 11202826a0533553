import type { Bar } from "@hdp/shared";

const MINUTE_MS = 60_000;

interface OpenBar {
  open: number;
  high: number;
  low: number;
  close: number;
}

/**
 * Builds one-minute bars from successive price quotes, per ticker: the first
 * price seen in a minute is its open, the last its close, the extremes its high
 * and low. Quotes carry no traded volume, so every bar's volume is 0: a bar built
 * this way is a sampled price path, coarser than one built from trades.
 */
export class QuoteBarBuilder {
  private readonly open = new Map<string, Map<number, OpenBar>>();
  /** Per ticker, the end of the last minute handed out: later quotes for it are too late. */
  private readonly drainedUntil = new Map<string, number>();
  private readonly source: string;

  /** @param source written into each bar's `source` field */
  constructor(source: string) {
    this.source = source;
  }

  /** Records `price` observed at `at`. Non-positive prices and quotes for a minute already handed out are ignored. */
  add(ticker: string, price: number, at: Date): void {
    if (!Number.isFinite(price) || price <= 0) return;
    const minute = Math.floor(at.getTime() / MINUTE_MS) * MINUTE_MS;
    if (minute < (this.drainedUntil.get(ticker) ?? Number.NEGATIVE_INFINITY)) return;
    let minutes = this.open.get(ticker);
    if (!minutes) {
      minutes = new Map();
      this.open.set(ticker, minutes);
    }
    const bar = minutes.get(minute);
    if (!bar) {
      minutes.set(minute, { open: price, high: price, low: price, close: price });
      return;
    }
    bar.high = Math.max(bar.high, price);
    bar.low = Math.min(bar.low, price);
    bar.close = price;
  }

  /**
   * Removes and returns `ticker`'s bars whose minute has ended at `now`, in time
   * order; the minute in progress stays open.
   */
  completed(ticker: string, now: Date): Bar[] {
    const minutes = this.open.get(ticker);
    if (!minutes) return [];
    const bars: Bar[] = [];
    for (const [minute, bar] of [...minutes.entries()].sort(([a], [b]) => a - b)) {
      if (minute + MINUTE_MS > now.getTime()) break;
      minutes.delete(minute);
      this.drainedUntil.set(ticker, minute + MINUTE_MS);
      bars.push({ ticker, start: new Date(minute).toISOString(), ...bar, volume: 0, source: this.source });
    }
    return bars;
  }
}
