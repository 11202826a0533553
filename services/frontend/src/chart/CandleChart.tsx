import {
  CandlestickSeries,
  ColorType,
  HistogramSeries,
  LineSeries,
  createChart,
  type IChartApi,
  type ISeriesApi,
  type Time,
} from "lightweight-charts";
import { useEffect, useRef } from "react";
import type { Candle } from "../contracts.js";
import { toSeriesData } from "./series-data.js";

interface Series {
  readonly chart: IChartApi;
  readonly candles: ISeriesApi<"Candlestick", Time>;
  readonly ema9: ISeriesApi<"Line", Time>;
  readonly volume: ISeriesApi<"Histogram", Time>;
}

const EMA_COLOR = "#f5a623";

/**
 * Candlesticks with the EMA9 line and, in its own price scale along the bottom,
 * the volume histogram. The time axis reads New York time (see exchange-time.ts).
 * The view is fitted when `viewKey` (ticker and date) changes, not on live updates.
 */
export function CandleChart({
  candles,
  viewKey,
  label,
}: {
  candles: readonly Candle[];
  viewKey: string;
  label: string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const series = useRef<Series | null>(null);
  const fittedKey = useRef<string | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const chart = createChart(container.current, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: "transparent" }, textColor: "#c9d1d9" },
      grid: { vertLines: { color: "#21262d" }, horzLines: { color: "#21262d" } },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: "#30363d" },
      rightPriceScale: { borderColor: "#30363d", scaleMargins: { top: 0.08, bottom: 0.28 } },
    });
    const candleSeries = chart.addSeries(CandlestickSeries, {
      upColor: "#26a69a",
      downColor: "#ef5350",
      wickUpColor: "#26a69a",
      wickDownColor: "#ef5350",
      borderVisible: false,
    });
    const ema9 = chart.addSeries(LineSeries, {
      color: EMA_COLOR,
      lineWidth: 2,
      priceLineVisible: false,
      lastValueVisible: false,
      title: "EMA9",
    });
    const volume = chart.addSeries(HistogramSeries, {
      priceScaleId: "volume",
      priceFormat: { type: "volume" },
      priceLineVisible: false,
      lastValueVisible: false,
    });
    chart.priceScale("volume").applyOptions({ scaleMargins: { top: 0.78, bottom: 0 } });
    series.current = { chart, candles: candleSeries, ema9, volume };
    return () => {
      series.current = null;
      fittedKey.current = null;
      chart.remove();
    };
  }, []);

  useEffect(() => {
    const current = series.current;
    if (!current) return;
    const data = toSeriesData(candles);
    current.candles.setData(data.candles);
    current.ema9.setData(data.ema9);
    current.volume.setData(data.volume);
    if (fittedKey.current !== viewKey) {
      current.chart.timeScale().fitContent();
      fittedKey.current = viewKey;
    }
  }, [candles, viewKey]);

  return (
    <div className="chart-frame">
      <div className="chart" ref={container} role="img" aria-label={label} />
      <p className="chart-legend" aria-hidden="true">
        <span className="swatch swatch--ema" /> EMA9 <span className="swatch swatch--volume" /> Volume
      </p>
    </div>
  );
}
