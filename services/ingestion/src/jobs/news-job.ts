import { TOPICS, type Article } from "@hdp/shared";
import { describeError, type JobContext, type TickerFailure } from "./context.js";
import { publishValidated } from "./publish.js";

export interface NewsRunOptions {
  readonly now: Date;
  /** How far back to look; overlapping runs are fine, articles are keyed by id. @default 60 */
  readonly lookbackMinutes?: number;
}

export interface NewsRunResult {
  readonly published: number;
  readonly rejected: number;
  readonly failures: readonly TickerFailure[];
}

/**
 * Publishes the articles about each ticker published in the last
 * `lookbackMinutes` to `TOPICS.news`, keyed by article id. An article listing two
 * of our tickers goes out once; ids this process already published are skipped.
 */
export async function runNewsOnce(context: JobContext, options: NewsRunOptions): Promise<NewsRunResult> {
  const { logger, guard } = context;
  const now = options.now;
  const from = new Date(now.getTime() - (options.lookbackMinutes ?? 60) * 60_000);
  const failures: TickerFailure[] = [];
  const byId = new Map<string, Article>();
  for (const ticker of context.tickers) {
    try {
      for (const article of await context.news.fetchNews({ ticker, from, to: now }))
        byId.set(article.id, article);
    } catch (error) {
      failures.push({ ticker, error });
      logger.error({ ticker, err: error }, `news: ${ticker} failed: ${describeError(error)}`);
    }
  }
  const fresh = guard.newArticles([...byId.values()]);
  const count = await publishValidated(context.producer, logger, TOPICS.news, fresh, now);
  for (const article of fresh) guard.recordArticle(article.id);
  logger.info(
    { source: context.news.name, from: from.toISOString(), to: now.toISOString(), ...count },
    `news: published ${count.published} articles from ${context.news.name}`,
  );
  return { ...count, failures };
}
