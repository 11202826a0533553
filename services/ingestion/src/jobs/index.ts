export { PublishedGuard } from "./published-guard.js";
export { publishValidated, type PublishCount } from "./publish.js";
export { describeError, type JobContext, type TickerFailure } from "./context.js";
export {
  marketWindow,
  runMarketOnce,
  type MarketRunOptions,
  type MarketRunResult,
  type MarketWindow,
} from "./market-job.js";
export { runNewsOnce, type NewsRunOptions, type NewsRunResult } from "./news-job.js";
export { newsWindowFor, runBackfill, type BackfillOptions, type BackfillResult } from "./backfill-job.js";
export { runSensorLoop, type SensorLoopOptions } from "./sensor-loop.js";
