export {
  EXCHANGE_TIME_ZONE,
  addDays,
  exchangeDate,
  exchangeTime,
  parseIsoDate,
  weekday,
} from "./iso-date.js";
export type { IsoDate } from "./iso-date.js";
export { CALENDAR_YEARS, ONE_OFF_CLOSURES, easterSunday, inCalendarYears, nyseHolidays } from "./holidays.js";
export {
  EARLY_CLOSE,
  REGULAR_CLOSE,
  REGULAR_OPEN,
  closureReason,
  isEarlyClose,
  isMarketOpen,
  isTradingDay,
  latestTradingDays,
  nextTradingDay,
  previousTradingDay,
  sessionFor,
  sessionMinutes,
  startOfMinute,
  tradingDaysBetween,
} from "./nyse.js";
export type { TradingSession } from "./nyse.js";
export { EXCHANGE_MIC, marketSessionAt } from "./session-state.js";
export type { MarketSessionState } from "./session-state.js";
