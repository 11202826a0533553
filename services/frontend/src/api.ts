import type { IsoDate } from "./calendar.js";
import {
  candlesResponseSchema,
  newsPageSchema,
  statusResponseSchema,
  tickerSummarySchema,
  tradingDaysResponseSchema,
  type CandlesResponse,
  type NewsPage,
  type StatusResponse,
  type TickerSummary,
  type TradingDaysResponse,
} from "./contracts.js";

/** The middle-tier is served on the same origin under this prefix (see vite.config.ts for dev). */
export const API_BASE = "/api/v1";

/** A request to the API failed: the HTTP status (0 for a network failure) and what went wrong. */
export class ApiError extends Error {
  readonly status: number;

  constructor(message: string, status: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ApiError";
    this.status = status;
  }
}

const tickerListSchema = tickerSummarySchema.array();

/** What the fetches need of a shared zod schema. */
interface ResponseSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false };
}

async function getJson<T>(path: string, schema: ResponseSchema<T>, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, { headers: { accept: "application/json" }, signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError("the API cannot be reached", 0, { cause: error });
  }
  if (!response.ok) throw new ApiError(await errorDetail(response), response.status);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) throw new ApiError(`unexpected response from ${path}`, response.status);
  return parsed.data;
}

async function errorDetail(response: Response): Promise<string> {
  const fallback = `${response.status} ${response.statusText}`.trim();
  try {
    const body: unknown = await response.json();
    if (typeof body === "object" && body !== null) {
      const { message, detail } = body as { message?: unknown; detail?: unknown };
      if (typeof message === "string") return message;
      if (typeof detail === "string") return detail;
    }
  } catch {
    // Not JSON: the status line is all there is to say.
  }
  return fallback;
}

/**
 * `GET /v1/tickers`: every ticker with its latest date, last price and change; with `asOf`,
 * as of the end of that exchange day (tickers without a bar up to then are left out).
 */
export function fetchTickers(asOf?: IsoDate, signal?: AbortSignal): Promise<TickerSummary[]> {
  const query = asOf === undefined ? "" : `?${new URLSearchParams({ date: asOf })}`;
  return getJson(`/tickers${query}`, tickerListSchema, signal);
}

/** `GET /v1/days`: the exchange days on which `ticker` has bars, newest first. */
export function fetchDays(ticker: string, signal?: AbortSignal): Promise<TradingDaysResponse> {
  return getJson(`/days?${new URLSearchParams({ ticker })}`, tradingDaysResponseSchema, signal);
}

/** `GET /v1/candles`: one ticker's bars on one exchange date, oldest first. */
export function fetchCandles(ticker: string, date: IsoDate, signal?: AbortSignal): Promise<CandlesResponse> {
  const query = new URLSearchParams({ ticker, date });
  return getJson(`/candles?${query}`, candlesResponseSchema, signal);
}

/** `GET /v1/news`: one ticker's articles between two instants, newest first. */
export function fetchNews(
  ticker: string,
  window: { from: string; to: string },
  limit: number,
  signal?: AbortSignal,
): Promise<NewsPage> {
  const query = new URLSearchParams({ ticker, from: window.from, to: window.to, limit: String(limit) });
  return getJson(`/news?${query}`, newsPageSchema, signal);
}

/** `GET /v1/status`: how current the stored data is (newest bar per ticker, session state, freshness). */
export function fetchStatus(signal?: AbortSignal): Promise<StatusResponse> {
  return getJson("/status", statusResponseSchema, signal);
}

/** URL of the live stream (`event: bar` / `event: news`) for one ticker. */
export function streamUrl(ticker: string): string {
  return `${API_BASE}/stream?${new URLSearchParams({ ticker })}`;
}
