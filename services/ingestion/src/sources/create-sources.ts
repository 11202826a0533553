import { ConfigError, type Logger } from "@hdp/shared";
import type { IngestionConfig } from "../config.js";
import { FinnhubSource } from "./finnhub/finnhub-source.js";
import { PolygonSource } from "./polygon/polygon-source.js";
import { ReplaySource } from "./replay/replay-source.js";
import type { MarketSource, NewsSource } from "./types.js";

/** The market and news source chosen by INGEST_SOURCE (one object serves both). */
export function createSource(config: IngestionConfig, logger: Logger): MarketSource & NewsSource {
  const http = { timeoutMs: config.http.timeoutMs, maxRetries: config.http.maxRetries, logger };
  switch (config.source) {
    case "replay":
      return new ReplaySource(config.replaySeed);
    case "polygon": {
      const { apiKey, baseUrl, callsPerMinute } = config.polygon;
      if (!apiKey) throw new ConfigError(["POLYGON_API_KEY: is required when INGEST_SOURCE=polygon"]);
      return new PolygonSource({ ...http, apiKey, baseUrl, callsPerMinute });
    }
    case "finnhub": {
      const { apiKey, baseUrl, plan } = config.finnhub;
      if (!apiKey) throw new ConfigError(["FINNHUB_API_KEY: is required when INGEST_SOURCE=finnhub"]);
      return new FinnhubSource({ ...http, apiKey, baseUrl, plan });
    }
    default: {
      const unknown: never = config.source;
      throw new ConfigError([`INGEST_SOURCE: unknown source ${String(unknown)}`]);
    }
  }
}
