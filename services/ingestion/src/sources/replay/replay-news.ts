import type { Article } from "@hdp/shared";
import { exchangeTime, weekday, type IsoDate } from "@hdp/shared";
import { HEADLINES, fillTemplate, mentionsOther, type HeadlineSentiment } from "./headlines.js";
import { pick, seededRandom } from "./prng.js";
import { REPLAY_TICKERS, profileFor } from "./ticker-profiles.js";

/** A replay article with the sentiment its wording was written with. */
export interface ReplayArticle {
  readonly article: Article;
  readonly sentiment: HeadlineSentiment;
}

/** News is published between 06:00 and 21:00 New York time. */
const NEWS_DAY_START_HOUR = 6;
const NEWS_DAY_MINUTES = 15 * 60;

/**
 * The replay articles written about `ticker` on `date` (New York calendar day):
 * 2-4 on weekdays, 0-1 at weekends, at deterministic times, with stable ids
 * `replay-<ticker>-<date>-<n>`. Templates that name a second company pair
 * `ticker` with another replay ticker, and list both. A pure function of its arguments.
 */
export function replayDayArticles(seed: string, ticker: string, date: IsoDate): ReplayArticle[] {
  const random = seededRandom(seed, "news", ticker, date);
  const isWeekend = weekday(date) % 6 === 0;
  const count = isWeekend ? Math.floor(random() * 2) : 2 + Math.floor(random() * 3);
  const dayStart = exchangeTime(date, NEWS_DAY_START_HOUR, 0).getTime();
  const month = Number(date.slice(5, 7));
  const others = REPLAY_TICKERS.filter((t) => t !== ticker);
  const articles: ReplayArticle[] = [];
  for (let n = 1; n <= count; n++) {
    const template = pick(random, HEADLINES.headlines);
    const publisher = pick(random, HEADLINES.publishers);
    const author = publisher.authors.length > 0 && random() < 0.85 ? pick(random, publisher.authors) : null;
    const publishedAt = new Date(dayStart + Math.floor(random() * NEWS_DAY_MINUTES * 60) * 1000);
    const other = pick(random, others);
    const pairs = mentionsOther(template);
    const values = {
      ticker,
      company: profileFor(ticker).company,
      other,
      otherCompany: profileFor(other).company,
      pct: (1 + random() * 14).toFixed(1),
      // The quarter being reported is the one before the current calendar quarter.
      quarter: `Q${((Math.ceil(month / 3) + 2) % 4) + 1}`,
    };
    const id = `replay-${ticker}-${date}-${n}`;
    articles.push({
      sentiment: template.sentiment,
      article: {
        id,
        publishedAt: publishedAt.toISOString(),
        title: fillTemplate(template.title, values),
        author,
        url: `https://news.example.com/${publisher.slug}/${date}/${id}`,
        description: fillTemplate(template.description, values),
        publisher: publisher.name,
        tickers: pairs ? [ticker, other] : [ticker],
        keywords: template.keywords,
        imageUrl: null,
      },
    });
  }
  return articles;
}

/**
 * Every replay article on `date` that lists `ticker`: those written about it
 * and those about another replay ticker that name it too.
 */
export function replayArticlesMentioning(seed: string, ticker: string, date: IsoDate): ReplayArticle[] {
  const writers = REPLAY_TICKERS.includes(ticker) ? REPLAY_TICKERS : [ticker, ...REPLAY_TICKERS];
  return writers.flatMap((writer) =>
    replayDayArticles(seed, writer, date).filter(
      (a) => writer === ticker || a.article.tickers.includes(ticker),
    ),
  );
}
