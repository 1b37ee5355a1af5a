// Trains gru_attention and cnn_pattern on the real BTCUSDT year (1m -> 1h) and scores them on the held-out
// last 20% against the naive "close stays" forecast. No tuning on the test part: it is scored once.
// Run: npx tsx bench/nets.ts [--kind gru_attention|cnn_pattern]
import { aggregate } from "../core/candles/aggregate";
import { serializeNet } from "../core/models/artifact";
import { pointMetrics, testStartIndex } from "../core/models/evaluate";
import { INTERVAL_Z, NET_KINDS, type NetKind } from "../core/models/net-config";
import { trainNet } from "../core/models/net-train";
import { backtestNet, netForecast } from "../core/models/nets";
import { loadCandles, sampleDataDir } from "../scripts/lib/binance-files";
import { backendForNet } from "../trainer/backend";

const dir = sampleDataDir();
if (!dir) {
  console.log("no sample data (set MONEYMONEY_SAMPLE_DATA or add ../shared/data/binance): nothing to bench");
  process.exit(0);
}
const kindArg = process.argv.indexOf("--kind");
const kinds: readonly NetKind[] = kindArg > 0 ? [process.argv[kindArg + 1] as NetKind] : NET_KINDS;

const minutes = loadCandles(dir, /^BTCUSDT-1m-.*\.csv\.gz$/);
const hourly = aggregate(minutes, "1h");
const testStart = testStartIndex(hourly.length);
const fitPart = hourly.slice(0, testStart);
const times = hourly.map((c) => c.time);
const closes = hourly.map((c) => c.close);
const indexOf = new Map(times.map((t, i) => [t, i]));
console.log(
  `BTCUSDT: ${minutes.length} 1m candles -> ${hourly.length} 1h; fit on ${fitPart.length}, test ${hourly.length - testStart} ` +
    `(${iso(times[testStart])} .. ${iso(times[times.length - 1])})`,
);

for (const kind of kinds) {
  const backend = await backendForNet(kind);
  const cpu0 = process.cpuUsage();
  const net = await trainNet(kind, fitPart, {
    onProgress: (p) =>
      console.log(
        `  ${kind} epoch ${p.epoch}: loss ${p.loss.toFixed(4)} val ${p.validationLoss.toFixed(4)} best ${p.bestEpoch}`,
      ),
  });
  const cpu = process.cpuUsage(cpu0);
  const t = net.meta.training;

  // Predictions for every candle j from the window ending at j - 1; metrics keep the test targets only.
  const started = performance.now();
  const bt = backtestNet(net, hourly);
  const backtestMs = performance.now() - started;
  const predictions = new Float64Array(hourly.length).fill(Number.NaN);
  let inside = 0;
  let counted = 0;
  for (let k = 0; k < bt.times.length; k++) {
    const j = indexOf.get(bt.times[k])! + 1;
    predictions[j] = bt.closes[k] * Math.exp(bt.predicted[k]);
    if (j >= testStart) {
      counted++;
      if (Math.abs(bt.actual[k] - bt.predicted[k]) <= INTERVAL_Z * net.meta.residualStd) inside++;
    }
  }
  const m = pointMetrics({
    times,
    closes,
    predictions,
    testFrom: times[testStart],
    testTo: times[times.length - 1],
    horizon: 1,
    timeframe: "1h",
  });
  const bytes = await serializeNet(net.model, net.scaler, net.meta);
  const f0 = performance.now();
  const next = netForecast(net, hourly, 24);
  const forecastMs = performance.now() - f0;
  console.log(
    [
      `${kind}: backend ${backend}, trained in ${t.seconds.toFixed(1)} s wall / ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU,`,
      `  ${t.epochs} epochs (best ${t.bestEpoch}), ${t.nTrain} train / ${t.nValidation} validation windows,`,
      `  validation residual std ${net.meta.residualStd.toExponential(3)} (train return std ${net.meta.targetScale.toExponential(3)})`,
      `  test n ${m.n}: MAE ${m.mae.toFixed(2)} vs naive ${m.naive_mae.toFixed(2)} USD, skill ${m.skill?.toFixed(4)},`,
      `  directional accuracy ${m.directional_accuracy.toFixed(3)}, 95% interval coverage ${(inside / counted).toFixed(3)}`,
      `  backtest of ${bt.times.length} windows ${backtestMs.toFixed(0)} ms; 24-step forecast ${forecastMs.toFixed(1)} ms` +
        ` (next ${next.points[0].value.toFixed(2)}, P(up) ${next.probabilityUp.toFixed(3)}); artifact ${bytes.byteLength} bytes`,
    ].join("\n"),
  );
  net.model.dispose();
}

function iso(t: number): string {
  return new Date(t * 1000).toISOString().slice(0, 16);
}
