import { exchangeDate } from "./iso-date.js";
import { nextTradingDay, previousTradingDay, sessionFor, type TradingSession } from "./nyse.js";

/** The exchange whose regular sessions the calendar describes (ISO 10383 MIC of NYSE). */
export const EXCHANGE_MIC = "XNYS";

/** Where the exchange's regular sessions stand at one instant. */
export interface MarketSessionState {
  /** True inside a regular session: open inclusive, close exclusive, early closes honoured. */
  readonly open: boolean;
  /** The session in progress; undefined while the exchange is closed. */
  readonly current: TradingSession | undefined;
  /** The latest session that has closed (its close is at or before the instant). */
  readonly previous: TradingSession;
  /** The first session that opens after the instant (tomorrow's or later while one is in progress). */
  readonly next: TradingSession;
  /** Whole and fractional seconds since the current session opened; 0 while closed. */
  readonly elapsedSeconds: number;
}

/**
 * The regular-session state of NYSE at `instant`: whether a session is in progress,
 * the previous and the next one, and how long the current one has been open.
 * Holidays, one-off closures and early closes come from the shared calendar.
 */
export function marketSessionAt(instant: Date): MarketSessionState {
  const today = exchangeDate(instant);
  const todays = sessionFor(today);
  const current = todays && instant >= todays.open && instant < todays.close ? todays : undefined;
  const previous =
    todays !== undefined && instant >= todays.close ? todays : sessionOf(previousTradingDay(today));
  const next = todays !== undefined && instant < todays.open ? todays : sessionOf(nextTradingDay(today));
  return {
    open: current !== undefined,
    current,
    previous,
    next,
    elapsedSeconds: current ? (instant.getTime() - current.open.getTime()) / 1000 : 0,
  };
}

/** The session of a day the calendar says is a trading day. */
function sessionOf(tradingDay: string): TradingSession {
  const session = sessionFor(tradingDay);
  if (!session) throw new Error(`calendar: ${tradingDay} was given as a trading day but has no session`);
  return session;
}
