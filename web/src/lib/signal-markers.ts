// Buy/sell markers on the candles: where the hourly signal turned to buy or to sell (circles), and the
// backtest's fills (arrows). Each hour's marker sits on the candle holding that hour's close (the
// moment it was decided and filled), at every timeframe; several in one candle become one marker per
// kind with a count, so long timeframes are not carpeted.
import {
  createSeriesMarkers,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { periodStart } from "../../../core/candles/timeframes";
import type { BacktestAnswer, HistorySignal, Timeframe } from "../api-types";
import type { PriceChart } from "./chart-setup";
import { DOWN_COLOR, UP_COLOR } from "./models";

const HOUR = 3600;
/** Legend layers (kept with the hidden models, by these keys). */
export const MARKER_LAYERS = ["signals", "trades"] as const;
export type MarkerLayer = (typeof MARKER_LAYERS)[number];
export type Fill = BacktestAnswer["fills"][number];

// Turns by history answer: the chart redraws its markers every minute from the same (year-long) history.
const turnsOf = new WeakMap<readonly HistorySignal[], readonly HistorySignal[]>();

/** The hours at which the signal turned to buy or to sell (holds in between do not count as a turn). */
export function signalTurns(signals: readonly HistorySignal[]): readonly HistorySignal[] {
  const known = turnsOf.get(signals);
  if (known) return known;
  const turns: HistorySignal[] = [];
  let direction: string | null = null;
  for (const s of [...signals].sort((a, b) => a.time - b.time)) {
    if (s.signal === "hold" || s.signal === direction) continue;
    direction = s.signal;
    turns.push(s);
  }
  turnsOf.set(signals, turns);
  return turns;
}

/** The candle (period open) of `tf` holding the close of the hour that opens at `hour`. */
export const candleOfHour = (hour: number, tf: Timeframe) => periodStart(hour + HOUR - 1, tf);

interface Tally {
  buy: number;
  sell: number;
}

const times = (n: number) => (n > 1 ? `×${n}` : "");

const BUY = { position: "belowBar", color: UP_COLOR } as const;
const SELL = { position: "aboveBar", color: DOWN_COLOR } as const;
/** Signal turns are small circles; the backtest's fills are B/S arrows. */
const LOOK = {
  signals: {
    buy: { ...BUY, shape: "circle", size: 0.6 },
    sell: { ...SELL, shape: "circle", size: 0.6 },
    text: (_side: "buy" | "sell", n: number) => times(n),
  },
  trades: {
    buy: { ...BUY, shape: "arrowUp" },
    sell: { ...SELL, shape: "arrowDown" },
    text: (side: "buy" | "sell", n: number) => `${side === "buy" ? "B" : "S"}${times(n)}`,
  },
} as const;

/**
 * The markers for candles opening at `candleTimes` (only candles that exist get one), sorted by time as
 * the markers primitive requires.
 */
export function buildMarkers(
  signals: readonly HistorySignal[],
  fills: readonly Fill[],
  candleTimes: readonly number[],
  tf: Timeframe,
  shown: ReadonlySet<MarkerLayer>,
): SeriesMarker<Time>[] {
  const exists = new Set(candleTimes);
  const tally = (items: readonly { time: number; side: "buy" | "sell" }[]) => {
    const out = new Map<number, Tally>();
    for (const item of items) {
      const t = candleOfHour(item.time, tf);
      if (!exists.has(t)) continue;
      const v = out.get(t) ?? { buy: 0, sell: 0 };
      v[item.side] += 1;
      out.set(t, v);
    }
    return out;
  };
  const markers: SeriesMarker<Time>[] = [];
  const place = (items: readonly { time: number; side: "buy" | "sell" }[], layer: MarkerLayer) => {
    for (const [t, v] of tally(items))
      for (const side of ["buy", "sell"] as const)
        if (v[side])
          markers.push({
            time: t as UTCTimestamp,
            ...LOOK[layer][side],
            text: LOOK[layer].text(side, v[side]),
          });
  };
  if (shown.has("signals"))
    place(
      signalTurns(signals).map((s) => ({ time: s.time, side: s.signal as "buy" | "sell" })),
      "signals",
    );
  if (shown.has("trades")) place(fills, "trades");
  return markers.sort((a, b) => (a.time as number) - (b.time as number));
}

/** Counts for the legend: signal turns and fills that land on a loaded candle. */
export function markerCounts(
  signals: readonly HistorySignal[],
  fills: readonly Fill[],
  candleTimes: readonly number[],
  tf: Timeframe,
): Record<MarkerLayer, number> {
  const exists = new Set(candleTimes);
  const on = (hour: number) => exists.has(candleOfHour(hour, tf));
  return {
    signals: signalTurns(signals).filter((s) => on(s.time)).length,
    trades: fills.filter((f) => on(f.time)).length,
  };
}

/** The markers primitive of the candle series, created once with the chart. */
export class SignalMarkers {
  private readonly api: ISeriesMarkersPluginApi<Time>;

  constructor(pc: PriceChart) {
    this.api = createSeriesMarkers(pc.candles, [], { zOrder: "aboveSeries" });
  }

  /** Draws the layers not in `hidden` on the loaded candles; returns the legend's counts. */
  draw(
    signals: readonly HistorySignal[],
    fills: readonly Fill[],
    candleTimes: readonly number[],
    tf: Timeframe,
    hidden: ReadonlySet<string>,
  ): Record<MarkerLayer, number> {
    const shown = new Set(MARKER_LAYERS.filter((l) => !hidden.has(l)));
    this.api.setMarkers(buildMarkers(signals, fills, candleTimes, tf, shown));
    return markerCounts(signals, fills, candleTimes, tf);
  }

  clear(): void {
    this.api.setMarkers([]);
  }
}
