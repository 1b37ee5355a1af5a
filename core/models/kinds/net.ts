// The two tfjs nets (gru_attention, cnn_pattern): one kind module per net, same artifact format
// (artifact.ts), trained by net-train.ts.
import { type LoadedNet, loadNet, serializeNet } from "../artifact";
import { INTERVAL_Z, type NetKind } from "../net-config";
import { trainNet } from "../net-train";
import { backtestNet, netForecast } from "../nets";
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

export function netKind(kind: NetKind, label: string): ModelKind<LoadedNet> {
  return {
    label,
    direction: true,
    volatility: false,
    tfjs: true,
    folds: 3,
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
      const index = new Map(candles.map((c, i) => [c.time, i]));
      bt.times.forEach((t, k) => {
        const i = index.get(t) as number;
        if (i < firstOrigin) return;
        mean[i] = bt.predicted[k];
        sigma[i] = net.meta.residualStd;
      });
      return { mean, sigma };
    },
    forecast(net, candles, steps, bandZ) {
      const f = netForecast(net, candles, steps, bandZ);
      return { forecast: f.points, expectedReturn: f.logReturn, sigma: net.meta.residualStd };
    },
  };
}
