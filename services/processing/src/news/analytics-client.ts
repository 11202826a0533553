import {
  MAX_SENTIMENT_BATCH,
  UpstreamError,
  sentimentResponseSchema,
  type SentimentItem,
  type SentimentResult,
} from "@hdp/shared";

export interface AnalyticsClientOptions {
  /** Base URL of the analytics service, e.g. `http://analytics:8082`. */
  readonly baseUrl: string;
  /** Per-request timeout. @default 10_000 */
  readonly timeoutMs?: number;
  /** Articles per request. @default 64 */
  readonly batchSize?: number;
}

/** Scores articles through the analytics service's `POST /v1/sentiment`. */
export interface SentimentScorer {
  score(items: readonly SentimentItem[], signal?: AbortSignal): Promise<SentimentResult[]>;
}

/**
 * HTTP client of the analytics service. Network errors, time-outs, 429 and 5xx
 * are retriable {@link UpstreamError}s; other 4xx answers and malformed bodies are not.
 */
export function createAnalyticsClient(options: AnalyticsClientOptions): SentimentScorer {
  const url = new URL("/v1/sentiment", options.baseUrl).toString();
  const batchSize = Math.min(options.batchSize ?? 64, MAX_SENTIMENT_BATCH);

  async function scoreChunk(
    articles: readonly SentimentItem[],
    signal?: AbortSignal,
  ): Promise<SentimentResult[]> {
    const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ articles }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw new UpstreamError(`analytics unreachable at ${url}: ${(error as Error).message}`, {
        retriable: true,
        cause: error,
      });
    }
    if (!response.ok) {
      const body = await response.text().catch(() => "");
      const retriable = response.status === 429 || response.status >= 500;
      throw new UpstreamError(`analytics answered ${response.status}: ${body.slice(0, 300)}`, {
        retriable,
        status: response.status,
      });
    }
    const parsed = sentimentResponseSchema.safeParse(await response.json());
    if (!parsed.success || parsed.data.results.length !== articles.length) {
      throw new UpstreamError("analytics answered with a malformed body", { retriable: false });
    }
    return parsed.data.results;
  }

  return {
    async score(items, signal) {
      const results: SentimentResult[] = [];
      for (let i = 0; i < items.length; i += batchSize) {
        results.push(...(await scoreChunk(items.slice(i, i + batchSize), signal)));
      }
      return results;
    },
  };
}
