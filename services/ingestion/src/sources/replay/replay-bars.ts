import type { Bar } from "@hdp/shared";
import { parseIsoDate, previousTradingDay, sessionMinutes, type IsoDate } from "@hdp/shared";
import { gaussian, seededRandom, type Random } from "./prng.js";
import { profileFor, type TickerProfile } from "./ticker-profiles.js";

const TRADING_DAYS_PER_YEAR = 252;
const FULL_SESSION_MINUTES = 390;
const DAY_MS = 86_400_000;

function dailyVolatility(profile: TickerProfile): number {
  return profile.annualVolatility / Math.sqrt(TRADING_DAYS_PER_YEAR);
}

/**
 * A slowly drifting price level: three slow waves with phases fixed per ticker,
 * so the level is a cheap function of the date, with no day-by-day recursion.
 */
function level(seed: string, ticker: string, profile: TickerProfile, date: IsoDate): number {
  const { year, month, day } = parseIsoDate(date);
  const days = Date.UTC(year, month - 1, day) / DAY_MS;
  const phase = seededRandom(seed, ticker, "phase");
  const wave = (periodDays: number, amplitude: number) =>
    amplitude * Math.sin((2 * Math.PI * days) / periodDays + 2 * Math.PI * phase());
  return profile.basePrice * Math.exp(wave(900, 0.25) + wave(270, 0.12) + wave(61, 0.05));
}

/** The replay close of `ticker` on `date`: the level plus a day's noise. The next day opens near it. */
export function replayClose(seed: string, ticker: string, date: IsoDate): number {
  const profile = profileFor(ticker);
  const noise = gaussian(seededRandom(seed, ticker, date, "close"));
  return roundCents(level(seed, ticker, profile, date) * Math.exp(0.8 * dailyVolatility(profile) * noise));
}

function roundCents(price: number): number {
  return Math.max(0.01, Math.round(price * 100) / 100);
}

/** Relative intraday activity at `x` (0 = open, 1 = close): high at both ends, low at midday. */
export function intradayActivity(x: number): number {
  return 0.45 + 1.6 * (2 * x - 1) ** 4 + 1.4 * Math.exp(-x * 25) + 0.9 * Math.exp(-(1 - x) * 30);
}

/**
 * Log prices at each minute boundary: a random walk pinned at the open and the
 * close (a Brownian bridge), with more movement near the open and the close.
 */
function pricePath(random: Random, open: number, close: number, sigmas: readonly number[]): number[] {
  const walk = [0];
  for (const sigma of sigmas) walk.push((walk.at(-1) ?? 0) + sigma * gaussian(random));
  const n = sigmas.length;
  const end = walk[n] ?? 0;
  const [from, to] = [Math.log(open), Math.log(close)];
  return walk.map((w, i) => from + (i / n) * (to - from) + (w - (i / n) * end));
}

/**
 * The replay source's one-minute bars of `ticker` on `date`: every minute of the
 * regular session (390, or 210 on an early close; none on a closed day). A pure
 * function of `(seed, ticker, date)`: the day opens near the previous trading
 * day's close and closes at {@link replayClose}, volume is U-shaped, and every
 * bar satisfies low ≤ open, close ≤ high.
 */
export function replayDayBars(seed: string, ticker: string, date: IsoDate): Bar[] {
  const minutes = [...sessionMinutes(date)];
  if (minutes.length === 0) return [];
  const profile = profileFor(ticker);
  const random = seededRandom(seed, ticker, date, "bars");
  const sigmaDay = dailyVolatility(profile);
  const open = roundCents(
    replayClose(seed, ticker, previousTradingDay(date)) * Math.exp(0.25 * sigmaDay * gaussian(random)),
  );
  const close = replayClose(seed, ticker, date);
  // Activity is spread over a full session's shape, so an early close ends at its own close spike.
  const activity = minutes.map((_, i) => intradayActivity((i + 0.5) / minutes.length));
  const meanActivity = activity.reduce((a, b) => a + b, 0) / activity.length;
  const sigmaMinute = sigmaDay / Math.sqrt(FULL_SESSION_MINUTES);
  const sigmas = activity.map((a) => sigmaMinute * Math.sqrt(a / meanActivity));
  const path = pricePath(random, open, close, sigmas);
  const dayVolume = profile.dailyVolume * Math.exp(0.25 * gaussian(random));
  const perMinuteVolume = dayVolume / FULL_SESSION_MINUTES;

  return minutes.map((start, i) => {
    const barOpen = roundCents(Math.exp(path[i] ?? 0));
    const barClose = roundCents(Math.exp(path[i + 1] ?? 0));
    const reach = (sigmas[i] ?? 0) * 0.6;
    const high = Math.max(
      roundCents(Math.max(barOpen, barClose) * Math.exp(reach * Math.abs(gaussian(random)))),
      barOpen,
      barClose,
    );
    const low = Math.min(
      roundCents(Math.min(barOpen, barClose) * Math.exp(-reach * Math.abs(gaussian(random)))),
      barOpen,
      barClose,
    );
    const volume = Math.round(
      perMinuteVolume * ((activity[i] ?? 1) / meanActivity) * Math.exp(0.35 * gaussian(random)),
    );
    return {
      ticker,
      start: start.toISOString(),
      open: barOpen,
      high,
      low,
      close: barClose,
      volume,
      source: "replay",
    };
  });
}
