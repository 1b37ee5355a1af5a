// ARIMA on the log close: order by KPSS + AIC, artifact = its fitted numbers as JSON. Its band is the
// model's variance path scaled to the running (EWMA) volatility, times the calibrated multiplier.
import { selectArima } from "../arima";
import { type ArimaModel, arimaParameters, arimaWalkForward, forecastArima } from "../arima-forecast";
import { KIND_INFO } from "../kind-info";
import { INTERVAL_Z, MODEL_PERIOD_SECONDS } from "../model-config";
import { ewmaSigmas } from "../volatility";
import { finite, json, type ModelKind, nanArray, nextTimes, parseJson, readBandZ } from "./types";

/** The stored artifact: what filtering recent candles needs, and the calibrated band multiplier. */
export interface ArimaArtifact {
  kind: "arima";
  order: [number, number, number];
  ar: number[];
  ma: number[];
  const: number;
  sigma2: number;
  band_z?: number;
}

type Arima = ArimaModel & { parameters?: Record<string, unknown> };

function parse(bytes: Uint8Array): { model: Arima; bandZ: number } {
  const a = parseJson("arima", bytes);
  const order = a.order as unknown[];
  const ok =
    Array.isArray(order) &&
    order.length === 3 &&
    order.every((n) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 5) &&
    (order[1] === 0 || order[1] === 1) &&
    Array.isArray(a.ar) &&
    a.ar.length === order[0] &&
    a.ar.every(finite) &&
    Array.isArray(a.ma) &&
    a.ma.length === order[2] &&
    a.ma.every(finite) &&
    finite(a.const) &&
    finite(a.sigma2) &&
    a.sigma2 > 0;
  if (!ok) throw new Error("arima artifact: order, ar, ma, const or sigma2 is mis-shaped");
  const { ar, ma, sigma2 } = a as unknown as ArimaArtifact;
  const model = { order: order as ArimaArtifact["order"], ar, ma, const: a.const as number, sigma2 };
  return { model, bandZ: readBandZ(a.band_z, INTERVAL_Z) };
}

export const arimaKind: ModelKind<Arima> = {
  ...KIND_INFO.arima,
  async fit(candles, progress) {
    await progress(0.1, `selecting the ARIMA order on ${candles.length} hourly log closes`);
    const { fit } = selectArima(candles.map((c) => Math.log(c.close)));
    return { ...fit, parameters: arimaParameters(fit) };
  },
  parameters: (m) => m.parameters ?? {},
  async encode(m, bandZ) {
    const { order, ar, ma, sigma2 } = m;
    return json({
      kind: "arima",
      order,
      ar,
      ma,
      const: m.const,
      sigma2,
      band_z: bandZ,
    } satisfies ArimaArtifact);
  },
  decode: async (bytes) => parse(bytes),
  dispose() {},
  oneStep(m, candles, firstOrigin) {
    const y = candles.map((c) => Math.log(c.close));
    const mean = nanArray(y.length);
    const sigma = nanArray(y.length);
    const first = Math.max(firstOrigin, m.order[1] + 1); // the filter needs one (differenced) value
    if (first >= y.length - 1) return { mean, sigma };
    const wf = arimaWalkForward(m, y, first + 1, 1);
    const vol = ewmaSigmas(candles.map((c) => c.close));
    wf.mean.forEach((v, k) => {
      mean[first + k] = v - y[first + k];
      sigma[first + k] = vol[first + k];
    });
    return { mean, sigma };
  },
  forecast(m, candles, steps, bandZ) {
    const last = candles[candles.length - 1];
    const f = forecastArima(
      m,
      candles.map((c) => Math.log(c.close)),
      steps,
    );
    // The model's variance path, rescaled so that its first step is the running volatility.
    const vol = ewmaSigmas(candles.map((c) => c.close)).at(-1) as number;
    const scale = Number.isFinite(vol) && vol > 0 ? vol ** 2 / f.variance[0] : 1;
    const forecast = nextTimes(last.time, MODEL_PERIOD_SECONDS, steps).map((time, k) => {
      const half = bandZ * Math.sqrt(scale * f.variance[k]);
      return {
        time,
        value: Math.exp(f.mean[k]),
        lower: Math.exp(f.mean[k] - half),
        upper: Math.exp(f.mean[k] + half),
      };
    });
    return {
      forecast,
      expectedReturn: f.mean[0] - Math.log(last.close),
      sigma: Math.sqrt(scale * f.variance[0]),
    };
  },
};
