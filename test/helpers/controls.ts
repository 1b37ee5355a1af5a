// One window of a simulated control through the pipeline the product runs: the rolling evaluation of
// each model kind (as the trainer does), the vote (Holm over the direction models' pooled p-values), the
// backtest and signal history with its calibrated confidences (as the Worker stores them), and the
// signal at the window's last hour (the final models fitted only for voters: without one it is a hold).
import { aggregate } from "../../core/candles/aggregate";
import type { Candle } from "../../core/candles/types";
import type { NetKind } from "../../core/models/net-config";
import { kindOf, MODEL_TYPES, type ModelType } from "../../core/models/registry";
import { rollingEvaluation } from "../../core/models/rolling";
import { decide, type Vote } from "../../core/models/vote";
import { SimMarket } from "../../scripts/sim/generator";
import { backendForNet } from "../../trainer/backend";
import { buildBacktests, type EvaluatedModel, realizedSigmas } from "../../worker/models/backtest-build";

const DAY_MS = 86_400_000;

export interface ControlWindow {
  /** The market's hourly AR(1) coefficient: 0 for the negative control. */
  hourlyAr: number;
  seed: number | string;
  /** The window's end (a UTC day) and length. */
  end: string;
  days: number;
}

export interface ControlResult {
  /** Per model: pooled skill and one-sided DM p-value of the rolling evaluation. */
  models: Record<string, { skill: number | null; p: number | null; qlikeP?: number | null }>;
  voters: string[];
  /** Replayed hours whose signal was a buy or a sell, and the backtest's round trips (long or flat). */
  signals: number;
  trades: number;
  /** The calibration of the confidence on held-out hours (null: too few hours with voters). */
  calibration: { n: number; brier: number; brier_base_rate: number } | null;
  /** The signal at the window's last hour. */
  live: "buy" | "sell" | "hold";
  seconds: number;
}

export function controlCandles(w: ControlWindow): Candle[] {
  const market = new SimMarket(w.seed, w.hourlyAr ? { hourlyAr: w.hourlyAr } : {}, 2);
  const end = Date.parse(`${w.end}T00:00:00Z`);
  const minutes = market.range(end - w.days * DAY_MS, w.days * 1440).map((c) => ({
    time: c.openMs / 1000,
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
    volume: c.volume,
  }));
  return aggregate(minutes, "1h");
}

export async function evaluateControl(w: ControlWindow, types: readonly ModelType[] = MODEL_TYPES) {
  const started = performance.now();
  const hourly = controlCandles(w);
  const evaluated: EvaluatedModel[] = [];
  const models: ControlResult["models"] = {};
  for (const type of types) {
    // The nets train on the backend the trainer picks for them (WASM: 5-12x faster than tfjs's JS CPU).
    if (kindOf(type).tfjs) await backendForNet(type as NetKind);
    const r = await rollingEvaluation(kindOf(type), hourly, async () => {});
    const keep = [...r.oos.mean.keys()].filter((i) => Number.isFinite(r.oos.mean[i]) && r.oos.sigma[i] > 0);
    evaluated.push({
      model: type,
      times: keep.map((i) => hourly[i].time),
      mean: keep.map((i) => r.oos.mean[i]),
      sigma: keep.map((i) => r.oos.sigma[i]),
    });
    const m = r.metrics as {
      skill: number | null;
      dm_pvalue: number | null;
      qlike_dm_pvalue?: number | null;
    };
    models[type] = { skill: m.skill, p: m.dm_pvalue, qlikeP: m.qlike_dm_pvalue };
  }
  const votes: Vote[] = types
    .filter((t) => kindOf(t).direction)
    .map((t) => ({ model: t, expectedReturn: 0, skill: models[t].skill, pValue: models[t].p }));
  const voters = decide(votes, null).voters.map((v) => v.model);
  const set = buildBacktests(hourly, evaluated, 8760);
  const ensemble = set.long_flat.ensemble;
  return {
    models,
    voters,
    signals: set.signals.filter((s) => s.signal !== "hold").length,
    trades: ensemble?.trades ?? 0,
    calibration: set.calibration.check,
    live: voters.length ? await liveSignal(hourly, votes, voters) : "hold",
    seconds: (performance.now() - started) / 1000,
  } satisfies ControlResult;
}

/** The voters' final models, fitted on the whole window, decide at its last hour (as the Worker would). */
async function liveSignal(hourly: readonly Candle[], votes: readonly Vote[], voters: readonly string[]) {
  const live: Vote[] = [];
  for (const v of votes) {
    if (!voters.includes(v.model)) continue;
    const kind = kindOf(v.model);
    const model = await kind.fit(hourly, async () => {});
    try {
      const expected = kind.forecast(model, hourly, 1, 1.96).expectedReturn;
      if (expected !== null) live.push({ ...v, expectedReturn: expected });
    } finally {
      kind.dispose(model);
    }
  }
  const sigma = realizedSigmas(hourly).at(-1);
  return decide(live, sigma !== undefined && Number.isFinite(sigma) ? sigma : null).signal;
}
