import type { z } from "zod";
import { UpstreamError, type Article, type Bar, type Logger } from "@hdp/shared";
import {
  createProviderClient,
  ProviderHttpError,
  type ProviderClient,
  type Query,
} from "../../http/provider-client.js";
import { keepArticles, keepSessionBars } from "../normalise.js";
import type { MarketSource, NewsSource, RangeRequest } from "../types.js";
import {
  articleFromFinnhub,
  barsFromFinnhubCandles,
  finnhubCandlesSchema,
  finnhubNewsSchema,
  finnhubQuoteSchema,
} from "./finnhub-schemas.js";
import { QuoteBarBuilder } from "./quote-bar-builder.js";

export interface FinnhubSourceOptions {
  readonly apiKey: string;
  /** @default "https://finnhub.io" */
  readonly baseUrl: string;
  /** `free`: bars built from quotes; `paid`: the candle endpoint. */
  readonly plan: "free" | "paid";
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly logger: Logger;
  /** First retry delay. @default 500 */
  readonly minRetryDelayMs?: number;
  /** Clock of the quote samples. @default () => new Date() */
  readonly clock?: () => Date;
}

/**
 * Finnhub: company news, and one-minute bars either from the candle endpoint
 * (paid plans) or, on the free plan, built from quotes sampled by this process.
 * The key goes in the `X-Finnhub-Token` header.
 *
 * On the free plan each `fetchBars` call samples one quote and returns the
 * minutes completed since: a process that samples once (a one-shot job) yields
 * nothing, so run the market job in a loop (`ingest market --follow`).
 */
export class FinnhubSource implements MarketSource, NewsSource {
  readonly name = "finnhub";
  private readonly client: ProviderClient;
  private readonly plan: "free" | "paid";
  private readonly clock: () => Date;
  private readonly builder = new QuoteBarBuilder("finnhub");

  constructor(options: FinnhubSourceOptions) {
    this.plan = options.plan;
    this.clock = options.clock ?? (() => new Date());
    this.client = createProviderClient({
      provider: "finnhub",
      baseUrl: options.baseUrl,
      headers: { "x-finnhub-token": options.apiKey },
      logger: options.logger,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      ...(options.minRetryDelayMs === undefined ? {} : { minRetryDelayMs: options.minRetryDelayMs }),
    });
  }

  async fetchBars(request: RangeRequest): Promise<Bar[]> {
    return this.plan === "paid" ? this.fetchCandles(request) : this.barsFromQuotes(request);
  }

  async fetchNews(request: RangeRequest): Promise<Article[]> {
    const { ticker, from, to } = request;
    const items = await this.get(
      "/api/v1/company-news",
      // Finnhub filters by calendar day (UTC); the exact range is applied below.
      {
        symbol: ticker,
        from: from.toISOString().slice(0, 10),
        to: new Date(to.getTime() - 1).toISOString().slice(0, 10),
      },
      finnhubNewsSchema,
    );
    const articles = items.map((item) => articleFromFinnhub(ticker, item));
    return keepArticles(
      articles.filter((a): a is Article => a !== undefined),
      request,
    );
  }

  /** Samples the current price of `ticker` into the bar builder. */
  async sampleQuote(ticker: string): Promise<void> {
    const quote = await this.get("/api/v1/quote", { symbol: ticker }, finnhubQuoteSchema);
    // Finnhub answers an unknown symbol with zeros rather than an error.
    if (quote.c <= 0)
      throw new UpstreamError(`finnhub: no quote for ${ticker} (unknown symbol?)`, { retriable: false });
    // The observation time, not `t` (the last trade): the price is the one in force now.
    this.builder.add(ticker, quote.c, this.clock());
  }

  private async barsFromQuotes(request: RangeRequest): Promise<Bar[]> {
    await this.sampleQuote(request.ticker);
    return keepSessionBars(this.builder.completed(request.ticker, this.clock()), request);
  }

  private async fetchCandles(request: RangeRequest): Promise<Bar[]> {
    const { ticker, from, to } = request;
    const query = {
      symbol: ticker,
      resolution: "1",
      from: Math.floor(from.getTime() / 1000),
      to: Math.ceil(to.getTime() / 1000),
    };
    try {
      const candles = await this.get("/api/v1/stock/candle", query, finnhubCandlesSchema);
      return keepSessionBars(barsFromFinnhubCandles(ticker, candles), request);
    } catch (error) {
      if (error instanceof ProviderHttpError && error.status === 403) {
        throw new UpstreamError(
          `finnhub: the candle endpoint refused this API key (HTTP 403${error.body ? `: ${error.body}` : ""}). ` +
            "Candles need a paid Finnhub plan; set FINNHUB_PLAN=free to build bars from quotes instead.",
          { retriable: false, status: 403, cause: error },
        );
      }
      throw error;
    }
  }

  private async get<S extends z.ZodType>(path: string, query: Query, schema: S): Promise<z.infer<S>> {
    const parsed = schema.safeParse(await this.client.getJson(path, query));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UpstreamError(
        `finnhub: unexpected response for ${path}: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`.trim(),
        { retriable: false },
      );
    }
    return parsed.data;
  }
}
