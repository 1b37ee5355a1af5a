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
import { formatPrice, priceDecimals } from "./format";
import { DOWN_COLOR, UP_COLOR } from "./models";

export const FONT_FAMILY =
  'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export interface PriceChart {
  chart: IChartApi;
  candles: ISeriesApi<"Candlestick">;
  volume: ISeriesApi<"Histogram">;
  /** Holds only whitespace points: it widens the time scale so forecasts have room past the last candle. */
  horizon: ISeriesApi<"Line">;
}

export function createPriceChart(container: HTMLElement): PriceChart {
  const chart = createChart(container, {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: "transparent" },
      textColor: "#9C99B3",
      fontFamily: FONT_FAMILY,
      fontSize: 11,
      attributionLogo: true, // the library's licence asks for the attribution
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
  return { chart, candles, volume, horizon };
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

/** Axis precision from the price level, and date-only labels for daily and longer candles. */
export function styleFor(pc: PriceChart, lastPrice: number, tf: Timeframe): void {
  const precision = priceDecimals(lastPrice);
  pc.candles.applyOptions({ priceFormat: { type: "price", precision, minMove: 10 ** -precision } });
  const intraday = !["1D", "1W", "1M"].includes(tf);
  pc.chart.applyOptions({
    timeScale: { timeVisible: intraday, secondsVisible: false },
    // Thousands separators on the axis, as in the rest of the app.
    localization: { priceFormatter: (price: number) => formatPrice(price, precision) },
  });
}

const BAR_PX = 7; // initial zoom: about one candle per 7 px of chart width
const RIGHT_MARGIN_BARS = 4;

/** Shows the latest candles plus `future` forecast periods, at a comfortable zoom for the width. */
export function frame(pc: PriceChart, count: number, future: number): void {
  const width = pc.chart.timeScale().width() || 800;
  const total = Math.round(width / BAR_PX);
  // A long horizon on a fine timeframe must not crowd out the candles: at most a third of the view.
  const ahead = Math.min(future, Math.round(total / 3));
  pc.chart.timeScale().setVisibleLogicalRange({
    from: Math.max(0, count - (total - ahead)),
    to: count - 1 + ahead + RIGHT_MARGIN_BARS,
  });
}
