import { hashSeed } from "./prng.js";

/** How the replay source makes a ticker's prices and volumes look like its own. */
export interface TickerProfile {
  /** Company name used in headlines. */
  readonly company: string;
  /** Price level around which the path drifts, in dollars. */
  readonly basePrice: number;
  /** Annualised volatility of daily returns, e.g. 0.25. */
  readonly annualVolatility: number;
  /** Typical shares traded in a full regular session. */
  readonly dailyVolume: number;
}

/** The tickers the replay source knows; any other ticker gets a profile derived from its name. */
export const REPLAY_PROFILES: Readonly<Record<string, TickerProfile>> = {
  AAL: { company: "American Airlines", basePrice: 15, annualVolatility: 0.45, dailyVolume: 25_000_000 },
  AAPL: { company: "Apple", basePrice: 185, annualVolatility: 0.25, dailyVolume: 55_000_000 },
  AMD: { company: "AMD", basePrice: 140, annualVolatility: 0.5, dailyVolume: 50_000_000 },
  MSFT: { company: "Microsoft", basePrice: 380, annualVolatility: 0.24, dailyVolume: 21_000_000 },
  TSLA: { company: "Tesla", basePrice: 220, annualVolatility: 0.6, dailyVolume: 100_000_000 },
};

/** Tickers with a hand-written profile; also the companies that headlines pair up. */
export const REPLAY_TICKERS: readonly string[] = Object.keys(REPLAY_PROFILES);

/** The profile of `ticker`: hand-written, or a stable made-up one for an unknown ticker. */
export function profileFor(ticker: string): TickerProfile {
  const known = REPLAY_PROFILES[ticker];
  if (known) return known;
  const hash = hashSeed(ticker);
  return {
    company: ticker,
    basePrice: 20 + (hash % 280),
    annualVolatility: 0.3 + ((hash >>> 9) % 20) / 100,
    dailyVolume: 2_000_000 + ((hash >>> 3) % 8) * 1_000_000,
  };
}
