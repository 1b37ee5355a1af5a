// Who may vote, as the web app reads it from the forecasts' metrics: core's rule (Holm at a 10%
// family-wise rate over the direction models, skill above zero), volatility models never counted.
import { describe, expect, it } from "vitest";
import { votersOf } from "../../web/src/lib/voters";

const model = (model_type: string, skill: number | null, dm_pvalue: number | null) => ({
  model_type,
  metrics: { skill, dm_pvalue },
});

describe("votersOf", () => {
  it("lets a model vote whose p-value passes Holm's step and whose skill is positive", () => {
    const models = [
      model("arima", 0.02, 0.21),
      model("gru_attention", 0.034, 0.004), // below 0.1 / 3
      model("cnn_pattern", -0.01, 0.64),
      model("garch", 0.5, 0.0001), // a volatility model: never a voter
    ];
    expect([...votersOf(models)]).toEqual(["gru_attention"]);
  });

  it("gives no voter when the smallest p-value misses the first bar (0.1 / 3), or the skill is not > 0", () => {
    expect(
      votersOf([
        model("arima", 0.02, 0.05),
        model("gru_attention", 0.03, 0.06),
        model("cnn_pattern", 0.01, 0.07),
      ]).size,
    ).toBe(0);
    expect(votersOf([model("arima", 0, 0.001)]).size).toBe(0);
    expect(votersOf([model("arima", 0.02, null)]).size).toBe(0);
    expect(votersOf([{ model_type: "arima", metrics: null }]).size).toBe(0);
  });

  it("steps down: once the first passes, the next needs only 0.1 / 2", () => {
    const models = [
      model("arima", 0.02, 0.03),
      model("gru_attention", 0.03, 0.045),
      model("cnn_pattern", 0.01, 0.2),
    ];
    expect([...votersOf(models)].sort()).toEqual(["arima", "gru_attention"]);
  });
});
