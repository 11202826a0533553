import type { z } from "zod";
import { UpstreamError, type Article, type Bar, type Logger } from "@hdp/shared";
import { createProviderClient, type ProviderClient, type Query } from "../../http/provider-client.js";
import { createRateLimiter } from "../../http/rate-limiter.js";
import { keepArticles, keepSessionBars } from "../normalise.js";
import type { MarketSource, NewsSource, RangeRequest } from "../types.js";
import {
  articleFromPolygon,
  barFromPolygon,
  polygonAggsResponseSchema,
  polygonNewsResponseSchema,
} from "./polygon-schemas.js";

export interface PolygonSourceOptions {
  readonly apiKey: string;
  /** @default "https://api.polygon.io" */
  readonly baseUrl: string;
  /** Client-side limit shared by every call of this source (free tier: 5). */
  readonly callsPerMinute: number;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly logger: Logger;
  /** First retry delay. @default 500 */
  readonly minRetryDelayMs?: number;
}

/** Pages a pagination chain can have before we suspect a loop. */
const MAX_PAGES = 100;

/**
 * Polygon.io: one-minute aggregates and ticker news. The key goes in an
 * `Authorization: Bearer` header; every request, retries and `next_url` pages
 * included, waits for one client-side rate limiter.
 */
export class PolygonSource implements MarketSource, NewsSource {
  readonly name = "polygon";
  private readonly client: ProviderClient;

  constructor(options: PolygonSourceOptions) {
    this.client = createProviderClient({
      provider: "polygon",
      baseUrl: options.baseUrl,
      headers: { authorization: `Bearer ${options.apiKey}` },
      logger: options.logger,
      timeoutMs: options.timeoutMs,
      maxRetries: options.maxRetries,
      rateLimiter: createRateLimiter(options.callsPerMinute),
      ...(options.minRetryDelayMs === undefined ? {} : { minRetryDelayMs: options.minRetryDelayMs }),
    });
  }

  async fetchBars(request: RangeRequest): Promise<Bar[]> {
    const { ticker, from, to } = request;
    // Polygon's range is inclusive at both ends; the exclusive end is applied below.
    const path = `/v2/aggs/ticker/${encodeURIComponent(ticker)}/range/1/minute/${from.getTime()}/${to.getTime() - 1}`;
    const pages = await this.pages(
      path,
      { adjusted: true, sort: "asc", limit: 50_000 },
      polygonAggsResponseSchema,
    );
    const bars = pages.flatMap((page) => (page.results ?? []).map((agg) => barFromPolygon(ticker, agg)));
    return keepSessionBars(bars, request);
  }

  async fetchNews(request: RangeRequest): Promise<Article[]> {
    const { ticker, from, to } = request;
    const query = {
      ticker,
      "published_utc.gte": from.toISOString(),
      "published_utc.lte": to.toISOString(),
      order: "desc",
      limit: 1000,
    };
    const pages = await this.pages("/v2/reference/news", query, polygonNewsResponseSchema);
    const articles = pages
      .flatMap((page) => page.results ?? [])
      .map((item) => articleFromPolygon(ticker, item));
    return keepArticles(
      articles.filter((a): a is Article => a !== undefined),
      request,
    );
  }

  /** Fetches the first page and follows `next_url` to the last one. */
  private async pages<S extends z.ZodType<{ next_url?: string | undefined }>>(
    path: string,
    query: Query,
    schema: S,
  ): Promise<z.infer<S>[]> {
    const pages: z.infer<S>[] = [];
    let next: { path: string; query: Query } | undefined = { path, query };
    while (next) {
      if (pages.length >= MAX_PAGES) {
        throw new UpstreamError(`polygon: more than ${MAX_PAGES} pages for ${path}; stopping`, {
          retriable: false,
        });
      }
      const body = await this.client.getJson(next.path, next.query);
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UpstreamError(
          `polygon: unexpected response for ${path}: ${issue?.path.join(".") ?? ""} ${issue?.message ?? ""}`.trim(),
          { retriable: false },
        );
      }
      pages.push(parsed.data);
      // next_url carries the cursor and the original query; the key stays in the header.
      next = parsed.data.next_url ? { path: parsed.data.next_url, query: {} } : undefined;
    }
    return pages;
  }
}
