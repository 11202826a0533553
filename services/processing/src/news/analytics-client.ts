import {
  MAX_SENTIMENT_BATCH,
  UpstreamError,
  sentimentResponseSchema,
  type SentimentItem,
  type SentimentResult,
} from "@hdp/shared";
import type { AnalyticsFailureReason, ProcessingMetrics } from "../metrics.js";

export interface AnalyticsClientOptions {
  /** Base URL of the analytics service, e.g. `http://analytics:8082`. */
  readonly baseUrl: string;
  /** Per-request timeout. @default 10_000 */
  readonly timeoutMs?: number;
  /** Articles per request. @default 64 */
  readonly batchSize?: number;
  /** Where each request's duration and failure reason are counted; none when omitted. */
  readonly metrics?: Pick<ProcessingMetrics, "analyticsDuration" | "analyticsFailures">;
}

/** A failed request to analytics, with the reason it is counted under. */
class AnalyticsRequestError extends UpstreamError {
  readonly reason: AnalyticsFailureReason;

  constructor(
    reason: AnalyticsFailureReason,
    message: string,
    options: { retriable: boolean; status?: number; cause?: unknown },
  ) {
    super(message, options);
    this.reason = reason;
  }
}

/** Scores articles through the analytics service's `POST /v1/sentiment`. */
export interface SentimentScorer {
  score(items: readonly SentimentItem[], signal?: AbortSignal): Promise<SentimentResult[]>;
}

/**
 * HTTP client of the analytics service. Network errors, time-outs, 429 and 5xx
 * are retriable {@link UpstreamError}s; other 4xx answers and malformed bodies are
 * not. Each request is timed and each failure counted by reason
 * (`timeout`, `unreachable`, `http_error`, `invalid_response`) in `metrics`.
 */
export function createAnalyticsClient(options: AnalyticsClientOptions): SentimentScorer {
  const url = new URL("/v1/sentiment", options.baseUrl).toString();
  const batchSize = Math.min(options.batchSize ?? 64, MAX_SENTIMENT_BATCH);
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function request(
    articles: readonly SentimentItem[],
    timeout: AbortSignal,
    signal?: AbortSignal,
  ): Promise<SentimentResult[]> {
    // A timeout can strike while the body is read, too: it is told apart from a stop by the caller.
    const failed = (error: unknown, what: string) => {
      if (signal?.aborted) return error;
      return timeout.aborted
        ? new AnalyticsRequestError("timeout", `analytics at ${url} timed out after ${timeoutMs} ms`, {
            retriable: true,
            cause: error,
          })
        : new AnalyticsRequestError(
            "unreachable",
            `analytics ${what} at ${url}: ${(error as Error).message}`,
            {
              retriable: true,
              cause: error,
            },
          );
    };
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ articles }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      throw failed(error, "unreachable");
    }
    let body: string;
    try {
      body = await response.text();
    } catch (error) {
      throw failed(error, "broke off its answer");
    }
    if (!response.ok) {
      const retriable = response.status === 429 || response.status >= 500;
      throw new AnalyticsRequestError(
        "http_error",
        `analytics answered ${response.status}: ${body.slice(0, 300)}`,
        { retriable, status: response.status },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
    const parsed = sentimentResponseSchema.safeParse(json);
    if (!parsed.success || parsed.data.results.length !== articles.length) {
      throw new AnalyticsRequestError("invalid_response", "analytics answered with a malformed body", {
        retriable: false,
      });
    }
    return parsed.data.results;
  }

  /** One request, timed and, when it fails, counted by reason (a stop of the caller is neither). */
  async function scoreChunk(
    articles: readonly SentimentItem[],
    signal?: AbortSignal,
  ): Promise<SentimentResult[]> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const results = await request(articles, AbortSignal.timeout(timeoutMs), signal);
      options.metrics?.analyticsDuration.observe({ outcome: "ok" }, seconds());
      return results;
    } catch (error) {
      if (error instanceof AnalyticsRequestError) {
        options.metrics?.analyticsDuration.observe({ outcome: "error" }, seconds());
        options.metrics?.analyticsFailures.inc({ reason: error.reason });
      }
      throw error;
    }
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
