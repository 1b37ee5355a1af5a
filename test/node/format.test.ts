// core/format.ts, the one way every screen and message writes a number: p-values that never read 1 at
// 0.998, prices at the market's tick, money in cents, the minus sign, counts with separators, and the
// console's note on jobs it started, which says "queued" only while they are.
import { describe, expect, it } from "vitest";
import {
  formatCount,
  formatMoney,
  formatNumber,
  formatPct,
  formatPrice,
  formatPValue,
  MINUS,
  tickDecimals,
  trendOf,
} from "../../core/format";
import { startedText } from "../../web/src/lib/jobs-started";

describe("one way to write a number", () => {
  it("writes a p-value the same everywhere, never 1 while it is 0.998", () => {
    expect(formatPValue(0.998)).toBe("0.998");
    expect(formatPValue(0.9996)).toBe("> 0.999");
    expect(formatPValue(0.21)).toBe("0.21");
    expect(formatPValue(0.0337)).toBe("0.034");
    expect(formatPValue(0.0004)).toBe("< 0.001");
    expect(formatPValue(null)).toBe("—");
  });

  it("writes a price at its market's tick, whatever its size", () => {
    expect(tickDecimals(0.01)).toBe(2);
    expect(tickDecimals(0.00001)).toBe(5);
    expect(tickDecimals(1e-8)).toBe(8);
    expect(tickDecimals(0.5)).toBe(1);
    expect(tickDecimals(1)).toBe(0);
    expect(formatPrice(1.08345, 0.00001)).toBe("1.08345");
    expect(formatPrice(1.0834, 0.00001)).toBe("1.08340");
    expect(formatPrice(79147, 0.01)).toBe("79,147.00");
    expect(formatPrice(0.000012345, 1e-8)).toBe("0.00001235");
    // No tick known: by the price's size, as before.
    expect(formatPrice(1.08345)).toBe("1.0835");
    expect(formatPrice(79147)).toBe("79,147.00");
  });

  it("writes money in cents (or the tick), an MAE never to four decimals", () => {
    expect(formatMoney(193.4331)).toBe("193.43");
    expect(formatMoney(192.34)).toBe("192.34");
    expect(formatMoney(0.000123)).toBe("0.000123");
    expect(formatMoney(0.00123, 0.00001)).toBe("0.00123");
  });

  it("uses the minus sign, no sign on what rounds to zero, and colours by what is shown", () => {
    expect(formatNumber(-1.183, 3)).toBe(`${MINUS}1.183`);
    expect(formatNumber(-0.0001, 3)).toBe("0");
    expect(formatPct(-0.012)).toBe(`${MINUS}1.20%`);
    expect(formatPct(0.00001)).toBe("0.00%");
    expect(trendOf(formatPct(-0.00001))).toBe("flat");
    expect(trendOf(formatNumber(-1.2))).toBe("down");
  });

  it("writes counts with thousands separators", () => {
    expect(formatCount(129600)).toBe("129,600");
    expect(formatCount(24372)).toBe("24,372");
    expect(formatCount(7)).toBe("7");
  });
});

describe("the console's note on jobs it started", () => {
  it("says queued only while they are, and what became of them", () => {
    expect(startedText("collection", [5], [])).toBe(
      "1 collection job started: 1 queued. Progress under Jobs.",
    );
    expect(startedText("collection", [5], [{ id: 5, status: "running" }])).toBe(
      "1 collection job started: 1 running. Progress under Jobs.",
    );
    expect(startedText("collection", [5], [{ id: 5, status: "succeeded" }])).toBe(
      "1 collection job finished: 1 succeeded.",
    );
    expect(
      startedText(
        "training",
        [1, 2],
        [
          { id: 1, status: "succeeded" },
          { id: 2, status: "failed" },
        ],
      ),
    ).toBe("2 training jobs finished: 1 succeeded, 1 failed.");
  });
});
