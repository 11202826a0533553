import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { EXCHANGE_MIC, marketSessionAt, type Logger, type StatusResponse } from "@hdp/shared";
import { describeStatus } from "../status/describe-status.js";
import type { StatusReader } from "../status/status-reader.js";
import { ScrapedGauge, type GaugeSample } from "./scraped-gauge.js";

/**
 * The in-memory caches whose lookups are counted: `closed_day` (answers of closed
 * sessions kept by `/v1/candles`), `etag` (a client revalidating a kept answer with
 * `If-None-Match`: hit when it is still current, answered 304), `gzip` (the kept
 * answer's gzip encoding: hit when it was already made).
 */
export const CACHE_NAMES = ["closed_day", "etag", "gzip"] as const;
export type CacheName = (typeof CACHE_NAMES)[number];

/** Counts one lookup in one of the caches. */
export type RecordCacheLookup = (cache: CacheName, result: "hit" | "miss") => void;

/** The middle-tier's own metrics, in the registry that `/metrics` serves. */
export interface MiddleTierMetrics {
  readonly registry: Registry;
  /** `api_stream_clients`: incremented when a stream opens, decremented when it closes. */
  readonly streamClients: Gauge;
  readonly recordCacheLookup: RecordCacheLookup;
}

export interface MiddleTierMetricsOptions {
  readonly status: StatusReader;
  /** The service clock: ages and the session state are reckoned on it. */
  readonly now: () => Date;
  readonly logger: Logger;
}

/**
 * A registry with the process metrics, the stream and cache metrics, and gauges
 * computed at scrape time: the session state from the calendar, the ages and dead
 * letters from the status snapshot (cached by the reader, so a scrape queries the
 * database at most once per interval). When the database fails, its gauges are absent
 * from that scrape and the failure is logged once until a read succeeds again.
 */
export function createMiddleTierMetrics({
  status,
  now,
  logger,
}: MiddleTierMetricsOptions): MiddleTierMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const streamClients = new Gauge({
    name: "api_stream_clients",
    help: "Clients connected to the live stream (/v1/stream).",
    registers: [registry],
  });
  const cacheRequests = new Counter({
    name: "api_cache_requests_total",
    help: "Lookups in the API's in-memory caches, by cache (closed_day, etag, gzip) and result (hit, miss).",
    labelNames: ["cache", "result"] as const,
    registers: [registry],
  });
  for (const cache of CACHE_NAMES)
    for (const result of ["hit", "miss"]) cacheRequests.inc({ cache, result }, 0);

  const exchange = { exchange: EXCHANGE_MIC };
  new ScrapedGauge(
    {
      name: "market_session_open",
      help: "1 while the exchange holds a regular session (holidays and early closes honoured), else 0.",
      labelNames: ["exchange"],
      registry,
    },
    () => [{ labels: exchange, value: marketSessionAt(now()).open ? 1 : 0 }],
  );
  new ScrapedGauge(
    {
      name: "market_session_elapsed_seconds",
      help: "Seconds since the current regular session opened; 0 while the exchange is closed.",
      labelNames: ["exchange"],
      registry,
    },
    () => [{ labels: exchange, value: marketSessionAt(now()).elapsedSeconds }],
  );

  const scrapeStatus = statusForScrape(status, now, logger);
  new ScrapedGauge(
    {
      name: "api_last_bar_age_seconds",
      help: "Seconds from the end of each followed ticker's newest stored bar to now.",
      labelNames: ["ticker"],
      registry,
    },
    async () =>
      ((await scrapeStatus())?.tickers ?? []).map((t) => ({
        labels: { ticker: t.ticker },
        value: t.ageSeconds,
      })),
  );
  new ScrapedGauge(
    {
      name: "api_last_article_age_seconds",
      help: "Seconds since the publication of the newest scored article; absent while none is scored.",
      labelNames: [],
      registry,
    },
    async (): Promise<GaugeSample<never>[]> => {
      const article = (await scrapeStatus())?.lastArticle;
      return article ? [{ labels: {}, value: article.ageSeconds }] : [];
    },
  );
  new ScrapedGauge(
    {
      name: "api_dead_letters_last_hour",
      help: "Dead letters recorded in the last hour, by the topic they were read from.",
      labelNames: ["topic"],
      registry,
    },
    async () =>
      Object.entries((await scrapeStatus())?.deadLetters.byTopic ?? {}).map(([topic, value]) => ({
        labels: { topic },
        value,
      })),
  );

  return {
    registry,
    streamClients,
    recordCacheLookup: (cache, result) => cacheRequests.inc({ cache, result }),
  };
}

/**
 * The status for one scrape, or undefined when the database cannot give it: logged at
 * the first failure and not again until a read succeeds (a scrape every few seconds
 * must not flood the log).
 */
function statusForScrape(
  status: StatusReader,
  now: () => Date,
  logger: Logger,
): () => Promise<StatusResponse | undefined> {
  let failing = false;
  return async () => {
    try {
      const answer = describeStatus(await status.read(), now());
      if (failing) logger.info("status gauges: the database answers again");
      failing = false;
      return answer;
    } catch (error) {
      if (!failing)
        logger.warn({ err: error }, "status gauges left out of /metrics: the database read failed");
      failing = true;
      return undefined;
    }
  };
}
