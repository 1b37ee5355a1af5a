// All four models for one instrument on one year of candles, as the trainer runs them (without the
// HTTP round trips): per-model wall and CPU time, the tfjs backend, and the held-out skill as it is.
// Run: npx tsx bench/train-all.ts   (target: all four within 5 minutes on this 2-core machine)
import { aggregate } from "../core/candles/aggregate";
import { MODEL_TYPES } from "../core/models/registry";
import { loadCandles, sampleDataDir } from "../scripts/lib/binance-files";
import { trainModel } from "../trainer/pipeline";

const dir = sampleDataDir();
if (!dir) throw new Error("sample data not found (../shared/data/binance or MONEYMONEY_SAMPLE_DATA)");
const hourly = aggregate(loadCandles(dir, /^BTCUSDT-1m-/), "1h");
console.log(`BTCUSDT: ${hourly.length} hourly candles`);
let total = 0;
for (const type of MODEL_TYPES) {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const m = await trainModel(type, hourly, async () => {});
  const wall = (performance.now() - wall0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  total += wall;
  const metrics = m.metrics as {
    mae: number;
    naive_mae: number;
    skill: number;
    directional_accuracy: number;
    n: number;
  };
  const backend = (m.parameters as { backend?: string }).backend ?? "-";
  console.log(
    `${type.padEnd(14)} wall ${wall.toFixed(1).padStart(6)} s  cpu ${((cpu.user + cpu.system) / 1e6).toFixed(1).padStart(6)} s  backend ${backend.padEnd(4)}  ` +
      `test n=${metrics.n} mae ${metrics.mae.toFixed(2)} naive ${metrics.naive_mae.toFixed(2)} skill ${metrics.skill.toFixed(4)} dir ${metrics.directional_accuracy.toFixed(3)}  artifact ${m.artifact.byteLength} B`,
  );
}
console.log(`all four: ${total.toFixed(1)} s wall (target <= 300 s)`);
