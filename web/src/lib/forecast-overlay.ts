// Draws each model's forecast past the last candle: a line per model plus its shaded interval.
import { type ISeriesApi, LineSeries, LineStyle, type UTCTimestamp } from "lightweight-charts";
import type { Candle, ModelForecast, Timeframe } from "../api-types";
import { BandPrimitive } from "./band-primitive";
import { forecastLine, futureGrid, type LinePoint, lastForecastClose, spansCandle } from "./chart-data";
import type { PriceChart } from "./chart-setup";
import { setHorizon } from "./chart-setup";
import { modelLook } from "./models";

// Beyond this many future periods the candles would be squeezed into a sliver; forecasts are clipped.
export const MAX_FORECAST_SLOTS = 240;

/** drawn / hidden (toggled off); not_price: not a price path; too_short: the horizon is shorter than one
 *  candle of the timeframe; no_line: nothing to draw after the last candle (none loaded, < 2 points). */
export type ForecastState = "drawn" | "hidden" | "not_price" | "too_short" | "no_line";

export interface ForecastSummary {
  model: ModelForecast;
  color: string;
  label: string;
  state: ForecastState;
}

interface Drawn {
  series: ISeriesApi<"Line">;
  band: BandPrimitive;
  /** The points drawn, by chart slot: what the crosshair reads out past the last candle. */
  points: Map<number, LinePoint>;
  label: string;
  color: string;
}

/** A drawn forecast's point under the crosshair. */
export interface ForecastReading {
  label: string;
  color: string;
  point: LinePoint;
}

/**
 * One line series per model, kept across redraws: toggling a model only changes its visibility and
 * a refresh only replaces data, because removing a series with future points would shift the view.
 */
export class ForecastOverlay {
  private drawn = new Map<string, Drawn>();

  constructor(private readonly pc: PriceChart) {}

  clear(): void {
    for (const { series } of this.drawn.values()) this.pc.chart.removeSeries(series);
    this.drawn.clear();
  }

  private lineFor(type: string, color: string): Drawn {
    let d = this.drawn.get(type);
    if (!d) {
      const series = this.pc.chart.addSeries(LineSeries, {
        color,
        lineWidth: 2,
        lineStyle: LineStyle.Solid,
        priceLineVisible: false,
        lastValueVisible: true,
        crosshairMarkerRadius: 3,
      });
      const band = new BandPrimitive(color);
      series.attachPrimitive(band);
      d = { series, band, points: new Map(), label: type, color };
      this.drawn.set(type, d);
    }
    return d;
  }

  /** The shown forecasts' points at chart slot `time` (none at a candle or past every forecast). */
  at(time: number): ForecastReading[] {
    const out: ForecastReading[] = [];
    for (const { series, points, label, color } of this.drawn.values()) {
      const point = points.get(time);
      if (point && series.options().visible) out.push({ label, color, point });
    }
    return out;
  }

  /** Updates every forecast line; returns what happened to each model (for the legend) and the
   *  number of future periods the horizon reserves. */
  draw(
    models: ModelForecast[],
    last: Candle | null,
    tf: Timeframe,
    hidden: ReadonlySet<string>,
  ): { summaries: ForecastSummary[]; slots: number } {
    const kept = new Set<string>();
    const summaries = models.map((model, i): ForecastSummary => {
      const look = modelLook(model.model_type, i);
      const base = { model, color: look.color, label: look.label };
      if (!last) return { ...base, state: "no_line" };
      if (!look.pricePath) return { ...base, state: "not_price" };
      if (!spansCandle(model.forecast, tf)) return { ...base, state: "too_short" };
      const line = forecastLine(model.forecast, last, tf, MAX_FORECAST_SLOTS);
      if (line.length < 2) return { ...base, state: "no_line" };
      const d = this.lineFor(model.model_type, look.color);
      kept.add(model.model_type);
      d.series.setData(line.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
      d.band.setPoints(line);
      d.label = look.label;
      d.points = new Map(line.filter((p) => p.close !== null).map((p) => [p.time, p]));
      const visible = !hidden.has(model.model_type);
      d.series.applyOptions({ visible });
      return { ...base, state: visible ? "drawn" : "hidden" };
    });
    for (const [type, { series }] of this.drawn) {
      if (!kept.has(type)) {
        this.pc.chart.removeSeries(series);
        this.drawn.delete(type);
      }
    }
    // The horizon stays as wide as the longest price forecast even when lines are toggled off.
    const priceForecasts = summaries
      .filter((s) => s.state === "drawn" || s.state === "hidden")
      .map((s) => s.model.forecast);
    const until = lastForecastClose(priceForecasts);
    const grid = last && until !== null ? futureGrid(last.time, until, tf, MAX_FORECAST_SLOTS) : [];
    setHorizon(this.pc, grid);
    return { summaries, slots: grid.length };
  }
}
