// The two tfjs nets (gru_attention, cnn_pattern): one kind module per net, same artifact format
// (artifact.ts), trained by net-train.ts. Their band: the running (EWMA) volatility times the
// calibrated multiplier, as the validation residual sd is one number for every regime.
import { type LoadedNet, loadNet, serializeNet } from "../artifact";
import { KIND_INFO } from "../kind-info";
import { INTERVAL_Z, type NetKind } from "../net-config";
import { trainNet } from "../net-train";
import { backtestNet, netForecast } from "../nets";
import { ewmaSigmas } from "../volatility";
import { type ModelKind, nanArray } from "./types";

function parameters({ meta }: LoadedNet): Record<string, unknown> {
  const { training, window, featureNames, residualStd } = meta;
  return {
    window,
    features: featureNames,
    ...training.hyper,
    epochs: training.epochs,
    best_epoch: training.bestEpoch,
    backend: training.backend,
    seed: training.seed,
    batch_size: training.train.batchSize,
    learning_rate: training.train.learningRate,
    train_seconds: training.seconds,
    residual_std: residualStd,
  };
}

export function netKind(kind: NetKind): ModelKind<LoadedNet> {
  return {
    ...KIND_INFO[kind],
    fit: (candles, progress) =>
      trainNet(kind, candles, {
        onProgress: (p) =>
          progress(p.epoch / p.maxEpochs, `epoch ${p.epoch}: val loss ${p.validationLoss.toFixed(4)}`),
      }),
    parameters,
    encode: (net, bandZ) => serializeNet(net.model, net.scaler, { ...net.meta, bandZ }),
    async decode(bytes) {
      const net = await loadNet(bytes);
      if (net.meta.kind !== kind) {
        net.model.dispose();
        throw new Error(`artifact holds a ${net.meta.kind} net, not ${kind}`);
      }
      return { model: net, bandZ: net.meta.bandZ ?? INTERVAL_Z };
    },
    dispose: (net) => net.model.dispose(),
    /** Only the windows reaching `firstOrigin` are run: the same forecasts for a fraction of the work. */
    oneStep(net, candles, firstOrigin) {
      const mean = nanArray(candles.length);
      const sigma = nanArray(candles.length);
      const start = Math.max(0, firstOrigin - net.meta.window - net.meta.horizon - 1);
      const bt = backtestNet(net, candles.slice(start));
      const vol = ewmaSigmas(candles.map((c) => c.close));
      const index = new Map(candles.map((c, i) => [c.time, i]));
      bt.times.forEach((t, k) => {
        const i = index.get(t) as number;
        if (i < firstOrigin) return;
        mean[i] = bt.predicted[k];
        sigma[i] = vol[i];
      });
      return { mean, sigma };
    },
    /** The band: bandZ x the running volatility x sqrt(steps ahead) (a random walk after step one). */
    forecast(net, candles, steps, bandZ) {
      const f = netForecast(net, candles, steps, bandZ);
      const vol = ewmaSigmas(candles.map((c) => c.close)).at(-1) as number;
      if (!(vol > 0)) return { forecast: f.points, expectedReturn: f.logReturn, sigma: net.meta.residualStd };
      const forecast = f.points.map((p, k) => {
        const half = bandZ * vol * Math.sqrt(k + 1);
        return { ...p, lower: p.value * Math.exp(-half), upper: p.value * Math.exp(half) };
      });
      return { forecast, expectedReturn: f.logReturn, sigma: vol };
    },
  };
}
