// Feature rows, scaling and windows against pandas/numpy (test/fixtures/nets/make-fixtures.py).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Candle } from "../../core/candles/types";
import {
  applyScaler,
  buildFeatures,
  FEATURE_NAMES,
  fitScaler,
  makeWindows,
} from "../../core/models/features";

interface Fixture {
  candles: Candle[];
  names: string[];
  rows: number[][];
  train_rows: number;
  mean: number[];
  std: number[];
  scaled: number[][];
  window: number;
  horizon: number;
  origins: number[];
  x_shape: number[];
  x: number[];
  y: number[];
}

const fx: Fixture = JSON.parse(
  readFileSync(new URL("../fixtures/nets/features.json", import.meta.url), "utf8"),
);

/** Float32 rows hold ~7 significant digits. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rel = 2e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(rel * Math.max(1, Math.abs(expected[i])));
  }
}

describe("buildFeatures", () => {
  const table = buildFeatures(fx.candles);

  it("gives one row per candle after the first, in the fixture's column order", () => {
    expect([...FEATURE_NAMES]).toEqual(fx.names);
    expect(table.X.length).toBe(fx.candles.length - 1);
    expect(table.times).toEqual(fx.candles.slice(1).map((c) => c.time));
    expect(table.closes).toEqual(fx.candles.slice(1).map((c) => c.close));
  });

  it("matches pandas/numpy row by row", () => {
    for (let i = 0; i < fx.rows.length; i++) expectClose(table.X[i], fx.rows[i]);
  });

  it("rejects a candle whose prices make a feature non-finite", () => {
    const bad = fx.candles.slice(0, 5).map((c) => ({ ...c }));
    bad[3].low = 0;
    expect(() => buildFeatures(bad)).toThrow(/non-finite feature/);
  });
});

describe("fitScaler / applyScaler", () => {
  const table = buildFeatures(fx.candles);
  const scaler = fitScaler(table.X.slice(0, fx.train_rows));

  it("fits mean and population std on the training rows only", () => {
    expectClose(scaler.mean, fx.mean);
    expectClose(scaler.std, fx.std);
    // Rows after the training part cannot move the scaler.
    const changed = table.X.map((row, i) => (i < fx.train_rows ? row : row.map((v) => v * 10 + 5)));
    expect(fitScaler(changed.slice(0, fx.train_rows))).toEqual(scaler);
    expect(fitScaler(table.X).mean[4]).not.toBeCloseTo(scaler.mean[4], 6);
  });

  it("standardises every row, the later ones with the training statistics", () => {
    const scaled = applyScaler(table, scaler);
    for (let i = 0; i < fx.scaled.length; i++) expectClose(scaled.X[i], fx.scaled[i], 5e-6);
    expect(scaled.closes).toBe(table.closes);
  });

  it("leaves a constant column at scale 1 instead of dividing by zero", () => {
    const s = fitScaler([new Float32Array([1, 2]), new Float32Array([1, 4])]);
    expect(s).toEqual({ mean: [1, 3], std: [1, 1] });
  });
});

describe("makeWindows", () => {
  const scaled = applyScaler(
    buildFeatures(fx.candles),
    fitScaler(buildFeatures(fx.candles).X.slice(0, fx.train_rows)),
  );

  it("cuts [n, window, features] windows with the next-period log return as target", () => {
    const w = makeWindows(scaled, fx.window, fx.horizon);
    expect([w.n, w.window, w.features]).toEqual(fx.x_shape);
    expect(w.origins).toEqual(fx.origins);
    expectClose(w.x, fx.x, 5e-6);
    expectClose(w.y, fx.y, 1e-6);
  });

  it("adds the windows whose target is still in the future on request, with NaN targets", () => {
    const closed = makeWindows(scaled, fx.window, 3);
    const open = makeWindows(scaled, fx.window, 3, true);
    expect(open.n).toBe(closed.n + 3);
    expect(open.origins.at(-1)).toBe(scaled.X.length - 1);
    expect([...open.y.slice(-3)].every(Number.isNaN)).toBe(true);
    expect(open.x.subarray(0, closed.x.length)).toEqual(closed.x);
  });

  it("gives no window when the table is shorter than window + horizon", () => {
    const short = {
      ...scaled,
      times: scaled.times.slice(0, 8),
      closes: scaled.closes.slice(0, 8),
      X: scaled.X.slice(0, 8),
    };
    expect(makeWindows(short, 8, 1).n).toBe(0);
    expect(makeWindows(short, 8, 1, true).n).toBe(1);
  });
});
