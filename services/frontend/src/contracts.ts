// The browser imports these two shared modules by file, never through `@hdp/shared`'s
// index, which also pulls in Node-only code (kafkajs, pg).
export {
  candlesResponseSchema,
  newsPageSchema,
  statusResponseSchema,
  streamBarEventSchema,
  streamNewsEventSchema,
  tickerSummarySchema,
  tradingDaysResponseSchema,
} from "../../shared/src/contracts/api.js";
export type {
  Candle,
  CandlesResponse,
  Freshness,
  NewsItem,
  NewsPage,
  StatusResponse,
  TickerSummary,
  TradingDay,
  TradingDaysResponse,
} from "../../shared/src/contracts/api.js";
