// Creates the price chart (candles + volume + a whitespace series for the forecast horizon) in the theme.
import {
  CandlestickSeries,
  ColorType,
  CrosshairMode,
  createChart,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  LineSeries,
  LineStyle,
  type UTCTimestamp,
} from "lightweight-charts";
import type { Candle, Timeframe } from "../api-types";
import { formatFixed, priceDecimals } from "./format";
import { DOWN_COLOR, UP_COLOR } from "./models";

export const FONT_FAMILY =
  'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export interface PriceChart {
  chart: IChartApi;
  candles: ISeriesApi<"Candlestick">;
  volume: ISeriesApi<"Histogram">;
  /** Holds only whitespace points: it widens the time scale so forecasts have room past the last candle. */
  horizon: ISeriesApi<"Line">;
  /** What styleFor last applied, and whether for a narrow chart: re-applied when the width crosses. */
  style: { lastPrice: number; tf: Timeframe; compact: boolean; tick: number | null } | null;
  container: HTMLElement;
}

/** Below this chart width (a phone) the price axis is compact: smaller type, fewer decimals. */
export const COMPACT_CHART_PX = 560;
const isCompact = (pc: PriceChart) =>
  pc.container.clientWidth > 0 && pc.container.clientWidth < COMPACT_CHART_PX;

export function createPriceChart(container: HTMLElement): PriceChart {
  const chart = createChart(container, {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: "transparent" },
      textColor: "#9C99B3",
      fontFamily: FONT_FAMILY,
      fontSize: 11,
      // The licence's notice and link sit under the chart (dashboard footer), where they cover no candle:
      // the library's logo would sit on the first volume bars.
      attributionLogo: false,
    },
    grid: {
      vertLines: { color: "rgba(255,255,255,0.035)" },
      horzLines: { color: "rgba(255,255,255,0.035)" },
    },
    crosshair: {
      mode: CrosshairMode.Normal,
      vertLine: { color: "rgba(225,0,122,0.45)", labelBackgroundColor: "#3A1740", style: LineStyle.Dashed },
      horzLine: { color: "rgba(138,43,226,0.5)", labelBackgroundColor: "#2A1650", style: LineStyle.Dashed },
    },
    rightPriceScale: { borderColor: "rgba(255,255,255,0.08)", scaleMargins: { top: 0.08, bottom: 0.22 } },
    timeScale: { borderColor: "rgba(255,255,255,0.08)", rightOffset: 6, barSpacing: 8, minBarSpacing: 1.5 },
    localization: { locale: "en-US" },
  });
  const candles = chart.addSeries(CandlestickSeries, {
    upColor: UP_COLOR,
    downColor: DOWN_COLOR,
    borderVisible: false,
    wickUpColor: UP_COLOR,
    wickDownColor: DOWN_COLOR,
    priceLineColor: "rgba(255,255,255,0.35)",
  });
  const volume = chart.addSeries(HistogramSeries, {
    priceScaleId: "volume",
    priceFormat: { type: "volume" },
    lastValueVisible: false,
    priceLineVisible: false,
  });
  // Volume sits in the bottom fifth of the pane, under the candles, on its own hidden scale.
  volume.priceScale().applyOptions({ scaleMargins: { top: 0.82, bottom: 0 }, visible: false });
  const horizon = chart.addSeries(LineSeries, {
    lastValueVisible: false,
    priceLineVisible: false,
    crosshairMarkerVisible: false,
  });
  const pc: PriceChart = { chart, candles, volume, horizon, style: null, container };
  // Lives and dies with the chart: a phone turned sideways gets the full axis back, and back again.
  chart.timeScale().subscribeSizeChange(() => {
    if (pc.style && pc.style.compact !== isCompact(pc))
      styleFor(pc, pc.style.lastPrice, pc.style.tf, pc.style.tick);
  });
  return pc;
}

const ts = (t: number) => t as UTCTimestamp;

export function candleData(c: Candle) {
  return { time: ts(c.time), open: c.open, high: c.high, low: c.low, close: c.close };
}

export function volumeData(c: Candle) {
  const color = c.close >= c.open ? "rgba(43,217,160,0.32)" : "rgba(255,77,109,0.32)";
  return { time: ts(c.time), value: c.volume, color };
}

export function setCandles(pc: PriceChart, candles: Candle[]): void {
  pc.candles.setData(candles.map(candleData));
  pc.volume.setData(candles.map(volumeData));
}

export function setHorizon(pc: PriceChart, times: number[]): void {
  pc.horizon.setData(times.map((t) => ({ time: ts(t) })));
}

/**
 * Decimals of the price axis: the price's own on a wide chart; on a narrow one about five significant
 * digits (BTC 67,123 not 67,123.45), so the axis keeps to a small share of a phone's width. The legend
 * above the chart still reads every decimal.
 */
export function axisDecimals(price: number, compact: boolean, tick: number | null = null): number {
  const full = priceDecimals(price, tick);
  if (!compact) return full;
  const integerDigits = Math.max(1, Math.floor(Math.log10(Math.abs(price) || 1)) + 1);
  return Math.max(0, Math.min(full, 5 - integerDigits));
}

/** Axis precision from the price level and chart width, and date-only labels for daily and longer candles. */
export function styleFor(pc: PriceChart, lastPrice: number, tf: Timeframe, tick: number | null = null): void {
  const compact = isCompact(pc);
  pc.style = { lastPrice, tf, compact, tick };
  const precision = priceDecimals(lastPrice, tick);
  const axis = axisDecimals(lastPrice, compact, tick);
  pc.candles.applyOptions({ priceFormat: { type: "price", precision, minMove: 10 ** -precision } });
  const intraday = !["1D", "1W", "1M"].includes(tf);
  pc.chart.applyOptions({
    layout: { fontSize: compact ? 10 : 11 },
    timeScale: { timeVisible: intraday, secondsVisible: false },
    // Thousands separators on the axis, as in the rest of the app.
    localization: { priceFormatter: (price: number) => formatFixed(price, axis) },
  });
}

const BAR_PX = 7; // initial zoom: about one candle per 7 px of chart width
const COMPACT_BAR_PX = 4;
const RIGHT_MARGIN_BARS = 4;

/** Shows the latest candles plus `future` forecast periods, at a comfortable zoom for the width. */
export function frame(pc: PriceChart, count: number, future: number): void {
  const width = pc.chart.timeScale().width() || 800;
  // A phone gets thinner candles: more history on its narrow chart.
  const total = Math.round(width / (isCompact(pc) ? COMPACT_BAR_PX : BAR_PX));
  // A long horizon on a fine timeframe must not crowd out the candles: the forecasts and the margin
  // after them take at most a third of the view.
  const ahead = Math.max(0, Math.min(future, Math.floor(total / 3) - RIGHT_MARGIN_BARS));
  pc.chart.timeScale().setVisibleLogicalRange({
    from: Math.max(0, count - (total - ahead - RIGHT_MARGIN_BARS)),
    to: count - 1 + ahead + RIGHT_MARGIN_BARS,
  });
}
