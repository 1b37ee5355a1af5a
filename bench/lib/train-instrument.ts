// One instrument's four models as the trainer fits them, timed: run by bench/trainer-speed.ts once per
// checkout (ROOT_UNDER_TEST, this one or an earlier commit's), it imports that checkout's trainer
// pipeline and prints one JSON line: per model wall and CPU seconds (every thread of the process),
// the metrics, parameters and evaluation forecasts, and the process's peak memory.
import path from "node:path";
import { aggregate } from "../../core/candles/aggregate";
import { MODEL_TYPES } from "../../core/models/model-types";
import { loadCandles, sampleDataDir } from "../../scripts/lib/binance-files";

const root = process.env.ROOT_UNDER_TEST ?? path.resolve(import.meta.dirname, "../..");
const dir = sampleDataDir();
if (!dir) throw new Error("sample data not found (../shared/data/binance or MONEYMONEY_SAMPLE_DATA)");
const hourly = aggregate(loadCandles(dir, /^BTCUSDT-1m-/), "1h");
const { trainModel } = await import(path.join(root, "trainer/pipeline.ts"));
const out: Record<string, unknown> = {};
for (const type of MODEL_TYPES) {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const m = await trainModel(type, hourly, async () => {});
  const cpu = process.cpuUsage(cpu0);
  out[type] = {
    wall: (performance.now() - t0) / 1000,
    cpu: (cpu.user + cpu.system) / 1e6,
    metrics: m.metrics,
    parameters: { ...m.parameters, train_seconds: undefined },
    evaluation: m.evaluation,
  };
}
console.log(
  JSON.stringify({ candles: hourly.length, maxRssMb: process.resourceUsage().maxRSS / 1024, models: out }),
);
