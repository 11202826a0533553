import type {
  CandlestickData,
  HistogramData,
  LineData,
  UTCTimestamp,
  WhitespaceData,
} from "lightweight-charts";
import type { Candle } from "../contracts.js";
import { toExchangeChartTime } from "../time/exchange-time.js";

/** Volume bar colours: translucent so that the candles above stay readable. */
export const VOLUME_UP_COLOR = "rgba(38, 166, 154, 0.5)";
export const VOLUME_DOWN_COLOR = "rgba(239, 83, 80, 0.5)";

/** The three series the chart draws, on the exchange-time axis. */
export interface ChartSeriesData {
  /** The candles, then (with `until`) an empty slot for each minute still to come. */
  readonly candles: (CandlestickData<UTCTimestamp> | WhitespaceData<UTCTimestamp>)[];
  readonly ema9: LineData<UTCTimestamp>[];
  readonly volume: HistogramData<UTCTimestamp>[];
}

const MINUTE_MS = 60_000;

/**
 * Maps API candles (oldest first) to chart series. Bars without an EMA9 yet (the
 * first eight of a series) are left out of the line rather than drawn at zero; a
 * volume bar is "up" when the candle closed at or above its open. With `until` (the
 * close of a session still trading), the minutes after the last candle up to it are
 * empty slots, so that the time axis spans the whole session.
 */
export function toSeriesData(candles: readonly Candle[], until?: Date): ChartSeriesData {
  const data: ChartSeriesData = { candles: [], ema9: [], volume: [] };
  for (const candle of candles) {
    const time = toExchangeChartTime(candle.t);
    const { open, high, low, close, volume, ema9 } = candle;
    data.candles.push({ time, open, high, low, close });
    if (ema9 !== null) data.ema9.push({ time, value: ema9 });
    data.volume.push({ time, value: volume, color: close >= open ? VOLUME_UP_COLOR : VOLUME_DOWN_COLOR });
  }
  const last = candles.at(-1);
  if (until !== undefined && last !== undefined) {
    for (let at = Date.parse(last.t) + MINUTE_MS; at < until.getTime(); at += MINUTE_MS) {
      data.candles.push({ time: toExchangeChartTime(new Date(at)) });
    }
  }
  return data;
}
