// The crossing rules alone (core/alerts/rules.ts): once per crossing, re-armed only past the margin, an
// alert that starts beyond its level waits, and minutes that say nothing (no band, no earlier close)
// change nothing.
import { describe, expect, it } from "vitest";
import { type AlertKind, step, type Watched } from "../../core/alerts/rules";

/** Runs an alert over closes (optionally with earlier closes and a band); the minutes it fired on. */
function run(
  kind: AlertKind,
  value: number | null,
  closes: number[],
  extra: (i: number) => object = () => ({}),
) {
  let a: Watched = { kind, value, armed: null };
  const fired: number[] = [];
  closes.forEach((close, i) => {
    const r = step(a, { time: i * 60, close, ...extra(i) });
    a = { ...a, armed: r.armed };
    if (r.fired) fired.push(i);
  });
  return { fired, armed: a.armed };
}

describe("price levels", () => {
  it("fire once per crossing and re-arm 0.2% back", () => {
    expect(run("price_above", 100, [99, 101, 102, 99.9, 101, 99.7, 100]).fired).toEqual([1, 6]);
    expect(run("price_below", 100, [101, 99, 98, 100.1, 99, 100.3, 100]).fired).toEqual([1, 6]);
  });

  it("noise around the level fires once", () => {
    const noisy = [99, 100.01, 99.99, 100.02, 99.95, 100.03, 99.9, 100.1];
    expect(run("price_above", 100, noisy).fired).toEqual([1]);
  });

  it("an alert that starts beyond its level waits for the price to come back first", () => {
    expect(run("price_above", 100, [105, 106, 104]).fired).toEqual([]);
    expect(run("price_above", 100, [105, 99, 101]).fired).toEqual([2]);
  });
});

describe("moves and bands", () => {
  it("change_pct needs the earlier close, and fires in its own direction", () => {
    const before = (i: number) => ({ closeBefore: i === 0 ? null : 100 });
    expect(run("change_pct", 5, [104, 100, 105, 106, 104, 103, 105], before).fired).toEqual([2, 6]);
    expect(run("change_pct", -5, [100, 100, 96, 94, 97, 94], before).fired).toEqual([3, 5]);
    expect(run("change_pct", 5, [106, 90, 106], () => ({ closeBefore: null }))).toEqual({
      fired: [],
      armed: null,
    });
  });

  it("band_exit fires on leaving the band either way and re-arms well inside it", () => {
    const band = () => ({ band: { lower: 90, upper: 110 } });
    expect(run("band_exit", null, [100, 111, 100, 89, 89.9, 100, 115], band).fired).toEqual([1, 3, 6]);
    expect(run("band_exit", null, [100, 120], () => ({ band: null })).fired).toEqual([]);
  });

  it("signal_change and data_stale are not minute kinds", () => {
    expect(run("signal_change", null, [1, 2, 3])).toEqual({ fired: [], armed: null });
    expect(run("data_stale", 5, [1, 2, 3])).toEqual({ fired: [], armed: null });
  });
});
