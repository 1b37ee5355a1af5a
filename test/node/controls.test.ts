// One pinned 90-day window of each simulated control through the product's pipeline (rolling
// evaluations, Holm's vote, the backtest and its calibrated confidences): the positive control's edge is
// found (a voter, buy/sell hours, trades, a confidence that beats the base rate on held-out hours), and
// the negative control's absence of one is respected (no voter, the signal holds). ARIMA, GARCH and the
// CNN keep npm test fast (the GRU's evaluation alone takes about a minute); bench/controls.ts runs 20
// windows of each with all four kinds.
import { describe, expect, it } from "vitest";
import { SIM_EDGE_AR } from "../../scripts/sim/params";
import { evaluateControl } from "../helpers/controls";

const END = "2026-11-01";
const KINDS = ["arima", "garch", "cnn_pattern"] as const;

describe("the simulated controls", () => {
  it("positive (hourly AR(1)): a model votes, the signal buys and sells, trades, and its confidence is calibrated", async () => {
    const r = await evaluateControl({ hourlyAr: SIM_EDGE_AR, seed: "positive-1", end: END, days: 90 }, KINDS);
    expect(r.voters).toContain("arima");
    expect(r.models.arima.p).toBeLessThan(0.1 / 2); // Holm's bar for the smaller of two p-values
    expect(r.signals).toBeGreaterThan(10);
    expect(r.trades).toBeGreaterThan(0);
    expect(r.calibration).not.toBeNull();
    expect(r.calibration!.brier).toBeLessThan(r.calibration!.brier_base_rate);
    console.log(`positive control: ${JSON.stringify(r)}`);
  }, 600_000);

  it("negative (nothing to predict): no model votes and the signal holds", async () => {
    const r = await evaluateControl({ hourlyAr: 0, seed: "negative-1", end: END, days: 90 }, KINDS);
    expect(r.voters).toEqual([]);
    expect(r.live).toBe("hold");
    console.log(`negative control: ${JSON.stringify(r)}`);
  }, 600_000);
});
