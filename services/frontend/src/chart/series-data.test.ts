import { describe, expect, it } from "vitest";
import type { Candle } from "../contracts.js";
import { VOLUME_DOWN_COLOR, VOLUME_UP_COLOR, toSeriesData } from "./series-data.js";

const candle = (t: string, open: number, close: number, ema9: number | null): Candle => ({
  t,
  open,
  high: Math.max(open, close) + 1,
  low: Math.min(open, close) - 1,
  close,
  volume: 1000,
  ema9,
});

// 2024-07-16 is in EDT: 13:30Z is 09:30 in New York.
const nineThirty = Date.parse("2024-07-16T09:30:00Z") / 1000;
const bars = [
  candle("2024-07-16T13:30:00Z", 100, 101, null),
  candle("2024-07-16T13:31:00Z", 101, 100, null),
  candle("2024-07-16T13:32:00Z", 100, 100, 100.4),
];

describe("toSeriesData", () => {
  it("puts every candle on the exchange-time axis, oldest first", () => {
    const { candles } = toSeriesData(bars);
    expect(candles.map((c) => c.time)).toEqual([nineThirty, nineThirty + 60, nineThirty + 120]);
    expect(candles[0]).toEqual({ time: nineThirty, open: 100, high: 102, low: 99, close: 101 });
  });

  it("skips bars whose EMA9 is still null", () => {
    expect(toSeriesData(bars).ema9).toEqual([{ time: nineThirty + 120, value: 100.4 }]);
  });

  it("colours volume up when the close is at or above the open and down otherwise", () => {
    const { volume } = toSeriesData(bars);
    expect(volume.map((v) => v.color)).toEqual([VOLUME_UP_COLOR, VOLUME_DOWN_COLOR, VOLUME_UP_COLOR]);
    expect(volume.every((v) => v.value === 1000)).toBe(true);
  });

  it("leaves an empty slot for each minute after the last candle up to `until`, on the candles only", () => {
    const data = toSeriesData(bars, new Date("2024-07-16T13:36:00Z"));
    expect(data.candles.slice(3)).toEqual([
      { time: nineThirty + 180 },
      { time: nineThirty + 240 },
      { time: nineThirty + 300 },
    ]);
    expect(data.volume).toHaveLength(3);
    expect(toSeriesData(bars, new Date("2024-07-16T13:33:00Z")).candles).toHaveLength(3);
  });

  it("returns empty series for no candles", () => {
    expect(toSeriesData([])).toEqual({ candles: [], ema9: [], volume: [] });
  });
});
