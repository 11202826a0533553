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
import { followUserMoves, type ViewState } from "./user-moves.js";
import { rangeShowingAll } from "./view-range.js";

interface Series {
  readonly chart: IChartApi;
  readonly candles: ISeriesApi<"Candlestick", Time>;
  readonly ema9: ISeriesApi<"Line", Time>;
  readonly volume: ISeriesApi<"Histogram", Time>;
}

const EMA_COLOR = "#f5a623";
/** Below this width (a phone) the last-price tag is left out: it covers price labels there, and the header shows the price. */
const NARROW_CHART_PX = 480;

/**
 * Candlesticks with the EMA9 line and, in its own price scale along the bottom,
 * the volume histogram. The time axis reads New York time (see exchange-time.ts).
 * The view shows every bar, with room for the first and last time labels; while the
 * session trades (`liveUntil`, its close) it spans the whole session, the minutes to come
 * left empty, so that bars fill it from the left. Once the user zooms or scrolls, the
 * view is theirs until the ticker or date (`viewKey`) changes.
 */
export function CandleChart({
  candles,
  viewKey,
  label,
  liveUntil,
}: {
  candles: readonly Candle[];
  viewKey: string;
  label: string;
  liveUntil?: Date | undefined;
}) {
  const container = useRef<HTMLDivElement>(null);
  const series = useRef<Series | null>(null);
  const view = useRef<ViewState>({ key: null, userMoved: false, slots: 0 });

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const chart = createChart(element, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: "transparent" },
        textColor: "#c9d1d9",
        // The attribution the licence asks for is in the legend below the chart instead.
        attributionLogo: false,
      },
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

    const timeScale = chart.timeScale();
    // A new width (the chart laid out, the window resized) needs the range again.
    const onResize = (width: number) => {
      candleSeries.applyOptions({ lastValueVisible: width >= NARROW_CHART_PX });
      ema9.applyOptions({ title: width >= NARROW_CHART_PX ? "EMA9" : "" });
      if (!view.current.userMoved) fitView(chart, view.current.slots);
    };
    timeScale.subscribeSizeChange(onResize);
    const onRange = () => showRange(element, chart);
    timeScale.subscribeVisibleLogicalRangeChange(onRange);
    const stopFollowing = followUserMoves(element, () => {
      view.current.userMoved = true;
      element.dataset.view = "user";
    });
    return () => {
      stopFollowing();
      timeScale.unsubscribeVisibleLogicalRangeChange(onRange);
      timeScale.unsubscribeSizeChange(onResize);
      series.current = null;
      view.current = { key: null, userMoved: false, slots: 0 };
      chart.remove();
    };
  }, []);

  useEffect(() => {
    const current = series.current;
    const element = container.current;
    if (!current || !element) return;
    const data = toSeriesData(candles, liveUntil);
    current.candles.setData(data.candles);
    current.ema9.setData(data.ema9);
    current.volume.setData(data.volume);
    if (view.current.key !== viewKey) view.current = { key: viewKey, userMoved: false, slots: 0 };
    view.current.slots = data.candles.length;
    if (!view.current.userMoved) {
      fitView(current.chart, data.candles.length);
      element.dataset.view = liveUntil ? "session" : "day";
    }
  }, [candles, viewKey, liveUntil]);

  return (
    <div className="chart-frame">
      <div className="chart" ref={container} role="img" aria-label={label} />
      <p className="chart-legend">
        <span aria-hidden="true">
          <span className="swatch swatch--ema" /> EMA9 <span className="swatch swatch--volume" /> Volume
        </span>
        <a
          className="chart-credit"
          href="https://www.tradingview.com/"
          target="_blank"
          rel="noopener noreferrer"
        >
          Charts by TradingView Lightweight Charts™, © TradingView, Inc.
        </a>
      </p>
    </div>
  );
}

/** Shows `slots` bar slots across the chart, with room for the edge labels. */
function fitView(chart: IChartApi, slots: number): void {
  const width = chart.timeScale().width();
  if (slots === 0 || width === 0) return;
  chart.timeScale().setVisibleLogicalRange(rangeShowingAll(slots, width));
}

/** The visible slots as an attribute (`from..to`), for tests and for a look in the inspector. */
function showRange(element: HTMLElement, chart: IChartApi): void {
  const range = chart.timeScale().getVisibleLogicalRange();
  if (range) element.dataset.visibleRange = `${range.from.toFixed(1)}..${range.to.toFixed(1)}`;
}
