import type { Freshness, MarketSessionState } from "@hdp/shared";

/** Seconds a ticker's bars may be behind and still count as fresh; beyond, late. */
export const FRESH_SECONDS = 120;
/** Seconds a ticker's bars may be behind and still count as late; beyond, stale. */
export const LATE_SECONDS = 300;

const ORDER: readonly Freshness[] = ["fresh", "late", "stale"];

/**
 * Seconds of the reference session that no stored bar covers, for a ticker whose
 * newest bar ends at `lastBarEnd`. The reference is the session in progress, counted
 * up to `now` (so the first minutes of a session are not late for want of its first
 * bars), or, while the exchange is closed, the last session up to its close (so a
 * weekend is fresh once Friday's bars are all stored).
 */
export function behindSeconds(lastBarEnd: Date, market: MarketSessionState, now: Date): number {
  const reference = market.current ?? market.previous;
  const until = Math.min(now.getTime(), reference.close.getTime());
  const coveredUntil = Math.max(lastBarEnd.getTime(), reference.open.getTime());
  return Math.max(0, (until - coveredUntil) / 1000);
}

/** `fresh` up to FRESH_SECONDS behind, `late` up to LATE_SECONDS, `stale` beyond. */
export function freshnessOf(behind: number): Freshness {
  if (behind <= FRESH_SECONDS) return "fresh";
  if (behind <= LATE_SECONDS) return "late";
  return "stale";
}

/** The worst of `levels`; `stale` when there are none (no ticker has bars to judge). */
export function worstFreshness(levels: readonly Freshness[]): Freshness {
  if (levels.length === 0) return "stale";
  return ORDER[Math.max(...levels.map((level) => ORDER.indexOf(level)))] ?? "stale";
}
