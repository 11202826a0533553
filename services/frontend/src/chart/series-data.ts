import type { CandlestickData, HistogramData, LineData, UTCTimestamp } from "lightweight-charts";
import type { Candle } from "../contracts.js";
import { toExchangeChartTime } from "../time/exchange-time.js";

/** Volume bar colours: translucent so that the candles above stay readable. */
export const VOLUME_UP_COLOR = "rgba(38, 166, 154, 0.5)";
export const VOLUME_DOWN_COLOR = "rgba(239, 83, 80, 0.5)";

/** The three series the chart draws, on the exchange-time axis. */
export interface ChartSeriesData {
  readonly candles: CandlestickData<UTCTimestamp>[];
  readonly ema9: LineData<UTCTimestamp>[];
  readonly volume: HistogramData<UTCTimestamp>[];
}

/**
 * Maps API candles (oldest first) to chart series. Bars without an EMA9 yet (the
 * first eight of a series) are left out of the line rather than drawn at zero; a
 * volume bar is "up" when the candle closed at or above its open.
 */
export function toSeriesData(candles: readonly Candle[]): ChartSeriesData {
  const data: ChartSeriesData = { candles: [], ema9: [], volume: [] };
  for (const candle of candles) {
    const time = toExchangeChartTime(candle.t);
    const { open, high, low, close, volume, ema9 } = candle;
    data.candles.push({ time, open, high, low, close });
    if (ema9 !== null) data.ema9.push({ time, value: ema9 });
    data.volume.push({ time, value: volume, color: close >= open ? VOLUME_UP_COLOR : VOLUME_DOWN_COLOR });
  }
  return data;
}
