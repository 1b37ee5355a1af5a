// The live track record of each model: per horizon, the scores of its ledger entries summed as they
// close (n, MAE against the random walk's, skill, the one-sided DM p-value, coverage, the Winkler score,
// the direction, and QLIKE against the EWMA for a volatility model). The same reducer serves the ledger,
// which adds each score once, and a verifier, which replays the whole export.
import { addDm, type DmAccumulator, dmPValue, newDm } from "./dm-accumulator";
import type { HorizonScore } from "./score";

export interface HorizonTally {
  n: number;
  abs_error: number;
  rw_abs_error: number;
  inside: number;
  hits: number;
  /** Scores with a direction (a volatility model has none). */
  directed: number;
  winkler: number;
  dm: DmAccumulator;
  /** QLIKE pairs of a volatility model. */
  qn: number;
  qlike: number;
  ewma_qlike: number;
  qdm: DmAccumulator;
  /** The calibrated range's hits (a volatility model, at the range's last hour). */
  range_n: number;
  range_inside: number;
}

export type ModelTally = Record<string, HorizonTally>;

const newTally = (): HorizonTally => ({
  n: 0,
  abs_error: 0,
  rw_abs_error: 0,
  inside: 0,
  hits: 0,
  directed: 0,
  winkler: 0,
  dm: newDm(),
  qn: 0,
  qlike: 0,
  ewma_qlike: 0,
  qdm: newDm(),
  range_n: 0,
  range_inside: 0,
});

/** Adds one score (scores of one horizon must come in the order of their origins). */
export function addScore(model: ModelTally, s: HorizonScore): void {
  model[s.horizon] ??= newTally();
  const t = model[s.horizon];
  t.n++;
  t.abs_error += s.abs_error;
  t.rw_abs_error += s.rw_abs_error;
  if (s.inside) t.inside++;
  if (s.hit !== null) {
    t.directed++;
    if (s.hit) t.hits++;
  }
  t.winkler += s.winkler;
  addDm(t.dm, s.abs_error, s.rw_abs_error);
  if (s.qlike !== undefined && s.ewma_qlike !== undefined) {
    t.qn++;
    t.qlike += s.qlike;
    t.ewma_qlike += s.ewma_qlike;
    addDm(t.qdm, s.qlike, s.ewma_qlike);
  }
  if (s.range_inside !== undefined) {
    t.range_n++;
    if (s.range_inside) t.range_inside++;
  }
}

export interface HorizonSummary {
  horizon: number;
  n: number;
  mae: number;
  rw_mae: number;
  /** 1 - mae / rw_mae (null when the random walk made no error). */
  skill: number | null;
  /** One-sided DM p-value of "a smaller absolute error than the random walk's" (null: < 10 scores). */
  dm_pvalue: number | null;
  coverage: number;
  winkler: number;
  directional_accuracy: number | null;
  qlike?: number;
  ewma_qlike?: number;
  qlike_dm_pvalue?: number | null;
  range_coverage?: number;
  range_n?: number;
}

export function summarise(model: ModelTally): HorizonSummary[] {
  return Object.entries(model)
    .map(([h, t]) => {
      const horizon = Number(h);
      const out: HorizonSummary = {
        horizon,
        n: t.n,
        mae: t.abs_error / t.n,
        rw_mae: t.rw_abs_error / t.n,
        skill: t.rw_abs_error > 0 ? 1 - t.abs_error / t.rw_abs_error : null,
        dm_pvalue: dmPValue(t.dm, horizon)?.p_value ?? null,
        coverage: t.inside / t.n,
        winkler: t.winkler / t.n,
        directional_accuracy: t.directed > 0 ? t.hits / t.directed : null,
      };
      if (t.qn > 0)
        Object.assign(out, {
          qlike: t.qlike / t.qn,
          ewma_qlike: t.ewma_qlike / t.qn,
          qlike_dm_pvalue: dmPValue(t.qdm, horizon)?.p_value ?? null,
        });
      if (t.range_n > 0)
        Object.assign(out, { range_coverage: t.range_inside / t.range_n, range_n: t.range_n });
      return out;
    })
    .sort((a, b) => a.horizon - b.horizon);
}
