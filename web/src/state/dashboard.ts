// Dashboard state: the instrument list, the selection (kept in the URL), and the insight cards.
import { computed, signal } from "@preact/signals";
import { api } from "../api";
import type {
  BacktestAnswer,
  Instrument,
  PredictionsAnswer,
  SignalAnswer,
  SignalHistoryAnswer,
  StatsAnswer,
  Timeframe,
  TrackRecordAnswer,
} from "../api-types";
import { TIMEFRAMES } from "../api-types";
import { resource } from "./resource";
import { queryParam, setQuery } from "./router";

export const DEFAULT_TIMEFRAME: Timeframe = "1h";

export const instruments = resource<Instrument[]>();
export const predictions = resource<PredictionsAnswer>();
export const tradeSignal = resource<SignalAnswer>();
export const stats = resource<StatsAnswer>();
export const backtest = resource<BacktestAnswer>();
export const signalHistory = resource<SignalHistoryAnswer>();
export const trackRecord = resource<TrackRecordAnswer>();
/** The track record gains its scores once an hour: a refresh re-reads it at most this often. */
const RECORD_REFRESH_MS = 5 * 60_000;
/** The signal history the chart marks: the last 365 days (the API allows 366). */
const HISTORY_SECONDS = 365 * 86_400;

/** Models (by model_type) and marker layers ("signals", "trades") switched off in the legend; survives
 * symbol changes. */
export const hiddenModels = signal<ReadonlySet<string>>(new Set());

export const selectedSymbol = computed<string | null>(() => {
  const list = instruments.state.value.data ?? [];
  const wanted = queryParam("symbol")?.toUpperCase();
  if (wanted && list.some((i) => i.symbol === wanted)) return wanted;
  return list[0]?.symbol ?? null;
});

export const selectedInstrument = computed(
  () => instruments.state.value.data?.find((i) => i.symbol === selectedSymbol.value) ?? null,
);

export const timeframe = computed<Timeframe>(() => {
  const tf = queryParam("tf");
  return (TIMEFRAMES as readonly string[]).includes(tf ?? "") ? (tf as Timeframe) : DEFAULT_TIMEFRAME;
});

export function selectSymbol(symbol: string): void {
  setQuery({ symbol });
}

export function selectTimeframe(tf: Timeframe): void {
  setQuery({ tf: tf === DEFAULT_TIMEFRAME ? null : tf });
}

export function toggleModel(type: string): void {
  const next = new Set(hiddenModels.value);
  if (next.has(type)) next.delete(type);
  else next.add(type);
  hiddenModels.value = next;
}

export function loadInstruments(keep = false): Promise<void> {
  return instruments.load((s) => api.instruments(s), keep);
}

let historyTo = 0;
let recordAt = 0;

/**
 * Forecasts, signal and stats follow each new candle; the backtest and the signal history change when
 * models do, and the history also gains an hour every hour, as does the track record.
 */
export function loadInsights(symbol: string, refresh = false, modelsChanged = false): void {
  predictions.load((s) => api.predictions(symbol, s), refresh);
  tradeSignal.load((s) => api.signal(symbol, s), refresh);
  stats.load((s) => api.stats(symbol, s), refresh);
  if (!refresh || modelsChanged || Date.now() - recordAt >= RECORD_REFRESH_MS) {
    recordAt = Date.now();
    trackRecord.load((s) => api.trackRecord(symbol, s), refresh);
  }
  const to = Math.floor(Date.now() / 1000);
  if (!refresh || modelsChanged) backtest.load((s) => api.backtest(symbol, s), refresh);
  else if (to - historyTo < 3600) return;
  historyTo = to;
  signalHistory.load((s) => api.signalHistory(symbol, to - HISTORY_SECONDS, to, s), refresh);
}
