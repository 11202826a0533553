// The browser imports these two shared modules by file, never through `@hdp/shared`'s
// index, which also pulls in Node-only code (kafkajs, pg).
export {
  candlesResponseSchema,
  newsPageSchema,
  streamBarEventSchema,
  streamNewsEventSchema,
  tickerSummarySchema,
} from "../../shared/src/contracts/api.js";
export type {
  Candle,
  CandlesResponse,
  NewsItem,
  NewsPage,
  TickerSummary,
} from "../../shared/src/contracts/api.js";
