import { describe, expect, it } from "vitest";
import { TOPICS, validateMessage } from "@hdp/shared";
import { sessionFor } from "@hdp/shared";
import { replayClose, replayDayBars } from "./replay-bars.js";
import { REPLAY_TICKERS } from "./ticker-profiles.js";

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("replayDayBars", () => {
  it("is deterministic: same seed, ticker and date give identical bars", () => {
    expect(replayDayBars("s1", "AAPL", "2024-03-05")).toEqual(replayDayBars("s1", "AAPL", "2024-03-05"));
  });

  it("changes with the seed and with the ticker", () => {
    const base = replayDayBars("s1", "AAPL", "2024-03-05");
    expect(replayDayBars("s2", "AAPL", "2024-03-05")).not.toEqual(base);
    expect(replayDayBars("s1", "MSFT", "2024-03-05")[0]?.close).not.toEqual(base[0]?.close);
  });

  it.each([
    ["2024-03-05", 390, "a regular day"],
    ["2024-07-03", 210, "an early close"],
    ["2024-03-29", 0, "Good Friday"],
    ["2024-03-09", 0, "a Saturday"],
  ])("makes one bar per session minute on %s: %i (%s)", (date, count) => {
    expect(replayDayBars("hdp", "AAPL", date)).toHaveLength(count);
  });

  it.each(REPLAY_TICKERS)(
    "gives %s consistent OHLC, whole-minute starts inside the session, and valid messages",
    (ticker) => {
      const bars = replayDayBars("hdp", ticker, "2024-03-11");
      const session = sessionFor("2024-03-11");
      for (const bar of bars) {
        expect(bar.high).toBeGreaterThanOrEqual(Math.max(bar.open, bar.close));
        expect(bar.low).toBeLessThanOrEqual(Math.min(bar.open, bar.close));
        expect(bar.low).toBeGreaterThan(0);
        expect(bar.source).toBe("replay");
        const start = Date.parse(bar.start);
        expect(start % 60_000).toBe(0);
        expect(start).toBeGreaterThanOrEqual(session?.open.getTime() ?? Infinity);
        expect(start).toBeLessThan(session?.close.getTime() ?? -Infinity);
        expect(validateMessage(TOPICS.bars, bar).ok).toBe(true);
      }
    },
  );

  it("chains bars: each bar opens at the previous bar's close", () => {
    const bars = replayDayBars("hdp", "TSLA", "2024-03-05");
    for (let i = 1; i < bars.length; i++) expect(bars[i]?.open).toBe(bars[i - 1]?.close);
  });

  it("closes at the day's replay close and opens near the previous trading day's close", () => {
    const friday = replayDayBars("hdp", "MSFT", "2024-03-28");
    const monday = replayDayBars("hdp", "MSFT", "2024-04-01"); // Good Friday and a weekend between
    expect(friday.at(-1)?.close).toBe(replayClose("hdp", "MSFT", "2024-03-28"));
    const gap = Math.abs((monday[0]?.open ?? 0) / (friday.at(-1)?.close ?? 1) - 1);
    expect(gap).toBeLessThan(0.03);
  });

  it("keeps prices near each ticker's level: AAL in the teens, MSFT in the hundreds", () => {
    const aal = replayDayBars("hdp", "AAL", "2024-03-05").map((b) => b.close);
    const msft = replayDayBars("hdp", "MSFT", "2024-03-05").map((b) => b.close);
    expect(mean(aal)).toBeGreaterThan(5);
    expect(mean(aal)).toBeLessThan(40);
    expect(mean(msft)).toBeGreaterThan(200);
    expect(mean(msft)).toBeLessThan(800);
  });

  it("trades more in the first and last half hours than at midday (U-shaped volume)", () => {
    const days = ["2024-03-04", "2024-03-05", "2024-03-06"];
    for (const date of days) {
      const volumes = replayDayBars("hdp", "AAPL", date).map((b) => b.volume);
      const middle = mean(volumes.slice(165, 225));
      expect(mean(volumes.slice(0, 30))).toBeGreaterThan(1.5 * middle);
      expect(mean(volumes.slice(-30))).toBeGreaterThan(1.5 * middle);
    }
  });

  it("makes a plausible profile for a ticker it does not know", () => {
    const bars = replayDayBars("hdp", "NVDA", "2024-03-05");
    expect(bars).toHaveLength(390);
    for (const bar of bars) expect(validateMessage(TOPICS.bars, bar).ok).toBe(true);
  });
});
