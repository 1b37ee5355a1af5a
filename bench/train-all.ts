// All four models for one instrument as the trainer runs them (without the HTTP round trips): the
// rolling-origin evaluation (refits at every origin) plus the final fit, per-model wall and CPU time,
// and the pooled out-of-sample figures as they are: skill vs the random walk, the one-sided
// Diebold-Mariano p-value, and the calibrated 95% band's coverage (pooled and on the last fold).
// Run: npx tsx bench/train-all.ts [--eth]   (target: BTCUSDT year within 5 minutes on this 2-core machine)
import { loadavg } from "node:os";
import { aggregate } from "../core/candles/aggregate";
import { MODEL_TYPES } from "../core/models/registry";
import type { FoldMetrics } from "../core/models/rolling";
import { loadCandles, sampleDataDir } from "../scripts/lib/binance-files";
import { trainModel } from "../trainer/pipeline";

const dir = sampleDataDir();
if (!dir) throw new Error("sample data not found (../shared/data/binance or MONEYMONEY_SAMPLE_DATA)");
const sets = process.argv.includes("--eth")
  ? [{ name: "ETHUSDT-PERP quarter", pattern: /^ETHUSDT-PERP-1m-/ }]
  : [{ name: "BTCUSDT year", pattern: /^BTCUSDT-1m-/ }];
if (process.argv.includes("--both"))
  sets.push({ name: "ETHUSDT-PERP quarter", pattern: /^ETHUSDT-PERP-1m-/ });

const f = (x: unknown, d: number) => (typeof x === "number" ? x.toFixed(d) : "-");
for (const set of sets) {
  const hourly = aggregate(loadCandles(dir, set.pattern), "1h");
  console.log(
    `${set.name}: ${hourly.length} hourly candles; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  let total = 0;
  for (const type of MODEL_TYPES) {
    const wall0 = performance.now();
    const cpu0 = process.cpuUsage();
    const m = await trainModel(type, hourly, async () => {});
    const wall = (performance.now() - wall0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    total += wall;
    const x = m.metrics as Record<string, unknown> & { folds: FoldMetrics[] };
    console.log(
      `${type.padEnd(14)} wall ${wall.toFixed(1).padStart(6)} s  cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1).padStart(6)} s  ` +
        `folds ${x.folds.length} n=${x.n}  skill ${f(x.skill, 5)}  DM p ${f(x.dm_pvalue, 3)}  dir ${f(x.directional_accuracy, 3)}  ` +
        `cover95 ${f(x.coverage_95, 3)} (last fold ${f(x.coverage_95_last, 3)}, plain 1.96 sd ${f(x.coverage_95_normal, 3)})  band_z ${f(x.band_z, 2)}` +
        (x.qlike !== undefined ? `  QLIKE ${f(x.qlike, 3)} vs ${f(x.naive_qlike, 3)}` : ""),
    );
  }
  console.log(
    `${set.name}: all four ${total.toFixed(1)} s wall (target <= 300 s); load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
}
