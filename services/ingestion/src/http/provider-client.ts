import ky, { HTTPError, TimeoutError, type KyInstance } from "ky";
import { UpstreamError, redactUrl, type Logger } from "@hdp/shared";
import type { RateLimiter } from "./rate-limiter.js";

/** Query parameters of a provider request. */
export type Query = Readonly<Record<string, string | number | boolean>>;

export interface ProviderClientOptions {
  /** Provider name for logs and errors, e.g. `polygon`. */
  readonly provider: string;
  /** Origin of the API, e.g. `https://api.polygon.io`; request paths are absolute. */
  readonly baseUrl: string;
  /** Headers sent with every request: where credentials go, never into a URL. */
  readonly headers: Readonly<Record<string, string>>;
  readonly logger: Logger;
  /** Timeout of one attempt. */
  readonly timeoutMs: number;
  /** Retries after the first attempt on 429, 5xx, timeouts and network errors. */
  readonly maxRetries: number;
  /** First backoff delay; each retry doubles it, with full jitter. @default 500 */
  readonly minRetryDelayMs?: number;
  /** Longest backoff delay. @default 30000 */
  readonly maxRetryDelayMs?: number;
  /** Longest wait a `Retry-After` header may impose; longer asks are cut to this. @default 65000 */
  readonly maxRetryAfterMs?: number;
  /** Awaited before every attempt, retries included: a provider's client-side rate limit. */
  readonly rateLimiter?: RateLimiter;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** An HTTP answer that was not a success, after any retries. */
export class ProviderHttpError extends UpstreamError {
  /** The request URL, with credential-bearing parameters redacted. */
  readonly url: string;
  /** Start of the response body, for the message (providers explain refusals there). */
  readonly body: string;

  constructor(provider: string, url: string, status: number, body: string) {
    const snippet = body.replace(/\s+/g, " ").trim().slice(0, 300);
    super(`${provider}: GET ${redactUrl(url)} answered HTTP ${status}${snippet ? `: ${snippet}` : ""}`, {
      retriable: isRetriableStatus(status),
      status,
    });
    this.url = redactUrl(url);
    this.body = snippet;
  }
}

/** 429 and 5xx may pass when tried later; any other status will not. */
export function isRetriableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

const SERVER_ERRORS = Array.from({ length: 100 }, (_, i) => 500 + i);

/** Reads JSON from one provider's API with timeouts, bounded retries and redacted logging. */
export interface ProviderClient {
  /**
   * GETs `pathOrUrl` (an absolute path, or a full URL such as a pagination link)
   * and returns the parsed JSON. A full URL on another origin is re-based onto
   * `baseUrl`, so the credentials never leave for a host we were not configured with.
   * Throws ProviderHttpError for an HTTP failure, UpstreamError for the rest.
   */
  getJson(pathOrUrl: string, query?: Query): Promise<unknown>;
}

/** The request URL for `pathOrUrl` and `query`, always on `baseUrl`'s origin. */
export function providerUrl(baseUrl: string, pathOrUrl: string, query: Query = {}): URL {
  const base = new URL(baseUrl);
  const parsed = new URL(pathOrUrl, base);
  const url = parsed.origin === base.origin ? parsed : new URL(`${parsed.pathname}${parsed.search}`, base);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
  return url;
}

function createKy(options: ProviderClientOptions): KyInstance {
  const { logger, provider } = options;
  const minDelay = options.minRetryDelayMs ?? 500;
  return ky.create({
    headers: { accept: "application/json", ...options.headers },
    timeout: options.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    retry: {
      limit: options.maxRetries,
      methods: ["get"],
      statusCodes: [429, ...SERVER_ERRORS],
      afterStatusCodes: [429, 503],
      maxRetryAfter: options.maxRetryAfterMs ?? 65_000,
      delay: (attempt) => minDelay * 2 ** (attempt - 1),
      backoffLimit: options.maxRetryDelayMs ?? 30_000,
      jitter: true,
      retryOnTimeout: true,
    },
    hooks: {
      beforeRequest: [
        async () => {
          // Inside the hook, so that waiting for the limiter never counts against the request timeout.
          await options.rateLimiter?.();
        },
      ],
      beforeRetry: [
        ({ request, error, retryCount }) => {
          const status = error instanceof HTTPError ? error.response.status : undefined;
          logger.warn(
            { provider, url: redactUrl(request.url), status, retry: retryCount, reason: describe(error) },
            `${provider}: retrying GET (attempt ${retryCount + 1} of ${options.maxRetries + 1})`,
          );
        },
      ],
      afterResponse: [
        (request, _options, response) => {
          logger.debug(
            { provider, url: redactUrl(request.url), status: response.status },
            `${provider}: GET`,
          );
        },
      ],
    },
  });
}

function describe(error: unknown): string {
  if (error instanceof HTTPError) return `HTTP ${error.response.status}`;
  if (error instanceof TimeoutError) return "timed out";
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return redactUrl(`${error.message}${cause}`);
  }
  return String(error);
}

/** Creates a {@link ProviderClient}. */
export function createProviderClient(options: ProviderClientOptions): ProviderClient {
  const client = createKy(options);
  return {
    async getJson(pathOrUrl, query) {
      const url = providerUrl(options.baseUrl, pathOrUrl, query);
      let response: Response;
      try {
        response = await client.get(url);
      } catch (error) {
        if (error instanceof HTTPError) {
          const body = await error.response.text().catch(() => "");
          throw new ProviderHttpError(options.provider, url.href, error.response.status, body);
        }
        throw new UpstreamError(
          `${options.provider}: GET ${redactUrl(url.href)} failed: ${describe(error)}`,
          {
            retriable: true,
            cause: error,
          },
        );
      }
      const text = await response.text();
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new UpstreamError(
          `${options.provider}: GET ${redactUrl(url.href)} answered with a body that is not JSON`,
          { retriable: false, status: response.status },
        );
      }
    },
  };
}
