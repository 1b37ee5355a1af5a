// The app's number formatting: nothing that rounds to zero carries a sign, colours follow what is shown,
// the confidence has one rounding, ages and the freshness words, and the phone axis's decimals.
import { describe, expect, it } from "vitest";
import { confidencePercent } from "../../core/models/confidence";
import { axisDecimals } from "../../web/src/lib/chart-setup";
import {
  formatAge,
  formatCompact,
  formatNumber,
  formatPct,
  formatPctPoints,
  formatPrice,
  trendOf,
} from "../../web/src/lib/format";
import { freshness, STALE_AFTER_S } from "../../web/src/lib/freshness";

describe("no negative zero", () => {
  it.each([
    [formatPct(-0.0004, 1), "0.0%"],
    [formatPct(-0.00004), "0.00%"],
    [formatPct(-0), "0.00%"],
    [formatPct(0.00004, 2), "0.00%"],
    [formatPctPoints(-0.004), "0.00%"],
    [formatNumber(-0.001, 2), "0"],
    [formatNumber(-0.004, 2), "0"],
    [formatPrice(-0.000001, 0.01), "0.00"],
    [formatCompact(-0.001), "0"],
  ])("%s is %s", (shown, expected) => {
    expect(shown).toBe(expected);
  });

  it("keeps the sign of numbers that do not round to zero", () => {
    expect(formatPct(-0.0006, 1)).toBe("−0.1%");
    expect(formatPct(0.0523)).toBe("+5.23%");
    expect(formatNumber(-1.234, 2)).toBe("−1.23");
    expect(formatPrice(67123.456)).toBe("67,123.46");
  });

  it("colours a number by what is shown", () => {
    expect(trendOf(formatPct(-0.0004, 1))).toBe("flat");
    expect(trendOf(formatPct(-0.0006, 1))).toBe("down");
    expect(trendOf(formatPct(0.139, 1))).toBe("up");
    expect(trendOf(formatNumber(-0.3, 2))).toBe("down");
    expect(trendOf("—")).toBe("flat");
  });
});

describe("confidence", () => {
  it("rounds once, clamped, the same for the ring and the reasons", () => {
    expect(confidencePercent(0.685)).toBe(69);
    expect(confidencePercent(0.004)).toBe(0);
    expect(confidencePercent(0.995)).toBe(100);
    expect(confidencePercent(1.2)).toBe(100);
    expect(confidencePercent(Number.NaN)).toBe(0);
  });
});

describe("freshness", () => {
  const base = { now: 1_000_000_000, socket: "live" as const, lastOkAt: null, lastFailAt: null };
  const close = base.now / 1000;

  it("says live with the last candle's age", () => {
    expect(freshness({ ...base, lastCandleClose: close - 12 }).text).toBe("live, last candle 12 s ago");
    expect(freshness({ ...base, socket: "offline", lastCandleClose: close - 40 }).kind).toBe("polling");
  });

  it("says how long no candle came", () => {
    const f = freshness({ ...base, lastCandleClose: close - 7 * 60 - 5 });
    expect(f).toEqual({ kind: "stale", text: "no new candle for 7 min" });
    expect(freshness({ ...base, lastCandleClose: close - STALE_AFTER_S }).kind).toBe("live");
  });

  it("says offline while the socket is down and the last request failed, until one succeeds", () => {
    const down = { ...base, socket: "offline" as const, lastCandleClose: close - 5 };
    expect(freshness({ ...down, lastOkAt: 1, lastFailAt: 2 }).text).toBe("offline, retrying");
    expect(freshness({ ...down, lastOkAt: 3, lastFailAt: 2 }).kind).toBe("polling");
    // A live socket is proof enough that the server is reachable.
    expect(freshness({ ...down, socket: "live", lastOkAt: 1, lastFailAt: 2 }).kind).toBe("live");
  });

  it("words ages", () => {
    expect([formatAge(0), formatAge(59.9), formatAge(60), formatAge(7200), formatAge(90_000)]).toEqual([
      "0 s",
      "59 s",
      "1 min",
      "2 h",
      "1 d",
    ]);
  });
});

describe("phone price axis", () => {
  it("keeps about five significant digits on a narrow chart and every decimal on a wide one", () => {
    expect(axisDecimals(67123.45, true)).toBe(0);
    expect(axisDecimals(1670.18, true)).toBe(1);
    expect(axisDecimals(1.08345, true)).toBe(4);
    expect(axisDecimals(67123.45, false)).toBe(2);
  });
});
