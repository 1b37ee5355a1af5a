// GARCH(1,1) on percent log returns: a volatility model (its point forecast is the drift), artifact =
// its fitted numbers as JSON.
import {
  fitGarch,
  forecastGarch,
  type GarchModel,
  garchBackcast,
  garchParameters,
  garchVariances,
  logReturnsPct,
} from "../garch";
import { KIND_INFO } from "../kind-info";
import { INTERVAL_Z, MODEL_PERIOD_SECONDS } from "../model-config";
import { RANGE_HOURS } from "../volatility-score";
import { finite, json, type ModelKind, nanArray, nextTimes, parseJson, readBandZ } from "./types";

export interface GarchArtifact {
  kind: "garch";
  mu: number;
  omega: number;
  alpha: number;
  beta: number;
  backcast?: number;
  band_z?: number;
}

type Garch = GarchModel & { parameters?: Record<string, unknown> };

function parse(bytes: Uint8Array): { model: Garch; bandZ: number } {
  const a = parseJson("garch", bytes);
  const ok =
    [a.mu, a.omega, a.alpha, a.beta].every(finite) &&
    (a.omega as number) > 0 &&
    (a.alpha as number) >= 0 &&
    (a.beta as number) >= 0 &&
    (a.alpha as number) + (a.beta as number) < 1 &&
    (a.backcast === undefined || (finite(a.backcast) && a.backcast > 0));
  if (!ok) throw new Error("garch artifact: mu, omega, alpha or beta is mis-shaped or not stationary");
  const { mu, omega, alpha, beta, backcast } = a as unknown as GarchArtifact;
  return { model: { mu, omega, alpha, beta, backcast }, bandZ: readBandZ(a.band_z, INTERVAL_Z) };
}

export const garchKind: ModelKind<Garch> = {
  ...KIND_INFO.garch,
  async fit(candles, progress) {
    await progress(0.1, `fitting GARCH(1,1) on ${candles.length - 1} hourly returns`);
    const fit = fitGarch(logReturnsPct(candles.map((c) => c.close)));
    const { mu, omega, alpha, beta, backcast } = fit;
    return { mu, omega, alpha, beta, backcast, parameters: garchParameters(fit) };
  },
  parameters: (m) => m.parameters ?? {},
  async encode(m, bandZ) {
    const { mu, omega, alpha, beta, backcast } = m;
    return json({ kind: "garch", mu, omega, alpha, beta, backcast, band_z: bandZ } satisfies GarchArtifact);
  },
  decode: async (bytes) => parse(bytes),
  dispose() {},
  /** s2[i] is the variance of the return from close i to close i + 1 given the returns before it. */
  oneStep(m, candles, firstOrigin) {
    const r = logReturnsPct(candles.map((c) => c.close));
    const s2 = garchVariances(m, r, m.backcast ?? garchBackcast(r));
    const mean = nanArray(candles.length);
    const sigma = nanArray(candles.length);
    for (let i = Math.max(0, firstOrigin); i < r.length; i++) {
      mean[i] = m.mu / 100;
      sigma[i] = Math.sqrt(s2[i]) / 100;
    }
    return { mean, sigma };
  },
  /** Sum of the variance path v_1 = s2[i], v_k = omega + (alpha + beta) v_(k-1) over `steps` periods. */
  rangeSigma(m, candles, firstOrigin, steps) {
    const r = logReturnsPct(candles.map((c) => c.close));
    const s2 = garchVariances(m, r, m.backcast ?? garchBackcast(r));
    const sd = nanArray(candles.length);
    const p = m.alpha + m.beta;
    for (let i = Math.max(0, firstOrigin); i < r.length; i++) {
      let v = s2[i];
      let sum = 0;
      for (let k = 0; k < steps; k++) {
        sum += v;
        v = m.omega + p * v;
      }
      sd[i] = Math.sqrt(sum) / 100;
    }
    return sd;
  },
  /** The value stays at the last close; the band widens with the cumulative variance. */
  forecast(m, candles, steps, bandZ) {
    const last = candles[candles.length - 1];
    const path = forecastGarch(m, logReturnsPct(candles.map((c) => c.close)), Math.max(steps, RANGE_HOURS));
    let cumulative = 0;
    const forecast = nextTimes(last.time, MODEL_PERIOD_SECONDS, steps).map((time, k) => {
      cumulative += path[k];
      const half = (bandZ * Math.sqrt(cumulative)) / 100;
      return {
        time,
        value: last.close,
        lower: last.close * Math.exp(-half),
        upper: last.close * Math.exp(half),
        sigma: Math.sqrt(path[k]) / 100,
      };
    });
    const range = path.slice(0, RANGE_HOURS).reduce((a, v) => a + v, 0);
    return {
      forecast,
      expectedReturn: null,
      sigma: Math.sqrt(path[0]) / 100,
      rangeSigma: Math.sqrt(range) / 100,
    };
  },
};
