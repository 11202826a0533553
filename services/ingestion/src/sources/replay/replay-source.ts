import type { Article, Bar } from "@hdp/shared";
import { addDays, exchangeDate, type IsoDate } from "@hdp/shared";
import { keepArticles, keepSessionBars } from "../normalise.js";
import type { MarketSource, NewsSource, RangeRequest } from "../types.js";
import { replayDayBars } from "./replay-bars.js";
import { replayArticlesMentioning } from "./replay-news.js";

/** Longest range one call may cover, to keep an accidental decade-long request cheap. */
const MAX_DAYS = 400;

/** New York calendar days touched by `[from, to)`. */
function daysOf({ from, to }: RangeRequest): IsoDate[] {
  if (to <= from) return [];
  const last = exchangeDate(new Date(to.getTime() - 1));
  const days: IsoDate[] = [];
  for (let day = exchangeDate(from); day <= last && days.length < MAX_DAYS; day = addDays(day, 1))
    days.push(day);
  return days;
}

/**
 * The default source: seeded synthetic bars and headlines, no key, no network.
 * Same seed, ticker and range, same output, byte for byte.
 */
export class ReplaySource implements MarketSource, NewsSource {
  readonly name = "replay";
  private readonly seed: string;

  /** @param seed the REPLAY_SEED: changes every price and headline */
  constructor(seed: string) {
    this.seed = seed;
  }

  async fetchBars(request: RangeRequest): Promise<Bar[]> {
    const bars = daysOf(request).flatMap((day) => replayDayBars(this.seed, request.ticker, day));
    return keepSessionBars(bars, request);
  }

  async fetchNews(request: RangeRequest): Promise<Article[]> {
    const articles = daysOf(request).flatMap((day) =>
      replayArticlesMentioning(this.seed, request.ticker, day).map((a) => a.article),
    );
    return keepArticles(articles, request);
  }
}
