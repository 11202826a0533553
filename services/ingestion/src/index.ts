export { loadIngestionConfig, configSecrets, DEFAULT_TICKERS, SOURCE_NAMES } from "./config.js";
export type { IngestionConfig, SourceName } from "./config.js";
export * from "./sources/index.js";
export * from "./jobs/index.js";
export { createProviderClient, ProviderHttpError, type ProviderClient } from "./http/provider-client.js";
export { createRateLimiter, type RateLimiter } from "./http/rate-limiter.js";
export { createSensorMetrics, recordPublished, type SensorMetrics } from "./metrics/sensor-metrics.js";
