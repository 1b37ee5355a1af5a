// The two simulated controls over many seeded 90-day windows, through the product's pipeline
// (test/helpers/controls.ts): the positive control (hourly AR(1), SIM_EDGE_AR) should get a voter, and so
// signals and trades, in >= 18 of 20 windows; the negative control (nothing to predict) a non-HOLD signal
// in <= 2. Holm's vote keeps the family-wise error at 10% over the direction models.
// Run: npx tsx bench/controls.ts [--windows 20] [--models arima,garch,gru_attention,cnn_pattern]
//      [--only positive|negative] [--phi 0.3] [--end 2026-11-01]
import { parseArgs } from "node:util";
import { MODEL_TYPES, type ModelType } from "../core/models/registry";
import { SIM_EDGE_AR } from "../scripts/sim/params";
import { type ControlResult, evaluateControl } from "../test/helpers/controls";

const { values } = parseArgs({
  options: {
    windows: { type: "string", default: "20" },
    models: { type: "string", default: MODEL_TYPES.join(",") },
    only: { type: "string" },
    end: { type: "string", default: "2026-11-01" },
    phi: { type: "string", default: String(SIM_EDGE_AR) },
  },
});
const windows = Number(values.windows);
const types = (values.models as string).split(",") as ModelType[];
const f = (x: number | null | undefined, d = 3) => (typeof x === "number" ? x.toFixed(d) : "-");

async function run(name: string, hourlyAr: number) {
  const results: ControlResult[] = [];
  for (let k = 1; k <= windows; k++) {
    const r = await evaluateControl(
      { hourlyAr, seed: `${name}-${k}`, end: values.end as string, days: 90 },
      types,
    );
    results.push(r);
    const ps = types
      .map(
        (t) =>
          `${t} p ${f(r.models[t].p)}${r.models[t].qlikeP !== undefined ? ` (QLIKE p ${f(r.models[t].qlikeP)})` : ""}`,
      )
      .join("  ");
    const cal = r.calibration
      ? `Brier ${f(r.calibration.brier, 4)} vs ${f(r.calibration.brier_base_rate, 4)} (n ${r.calibration.n})`
      : "no calibration";
    console.log(
      `${name} ${String(k).padStart(2)}: voters [${r.voters.join(",")}] live ${r.live.padEnd(4)} signals ${String(r.signals).padStart(4)} trades ${String(r.trades).padStart(3)}  ${cal}  ${ps}  ${r.seconds.toFixed(0)} s`,
    );
  }
  const voted = results.filter((r) => r.voters.length > 0).length;
  const acted = results.filter((r) => r.live !== "hold").length;
  const traded = results.filter((r) => r.trades > 0).length;
  const calibrated = results.filter(
    (r) => r.calibration && r.calibration.brier < r.calibration.brier_base_rate,
  ).length;
  console.log(
    `${name}: a voter in ${voted}/${windows} windows, a non-HOLD live signal in ${acted}, trades in ${traded}, held-out Brier below the base rate in ${calibrated}`,
  );
  return { voted, acted };
}

console.log(`controls: ${windows} windows of 90 days ending ${values.end}, models ${types.join(", ")}`);
if (values.only !== "negative") {
  const phi = Number(values.phi);
  const p = await run("positive", phi);
  console.log(
    `positive control (phi ${phi}): target a voter in >= ${Math.ceil(0.9 * windows)}: ${p.voted >= 0.9 * windows ? "met" : "MISSED"}`,
  );
}
if (values.only !== "positive") {
  const n = await run("negative", 0);
  console.log(
    `negative control: target a non-HOLD signal in <= ${Math.floor(0.1 * windows)}: ${n.acted <= 0.1 * windows ? "met" : "MISSED"}`,
  );
}
