// The four model types every instrument can have, and the artifact of the two statistical ones.
export const MODEL_TYPES = ["arima", "garch", "gru_attention", "cnn_pattern"] as const;
export type ModelType = (typeof MODEL_TYPES)[number];
export const isModelType = (s: unknown): s is ModelType => MODEL_TYPES.includes(s as ModelType);
/** The models whose forecast has a direction (GARCH forecasts volatility): the ones a backtest replays. */
export const DIRECTION_MODELS = [
  "arima",
  "gru_attention",
  "cnn_pattern",
] as const satisfies readonly ModelType[];
export type DirectionModel = (typeof DIRECTION_MODELS)[number];

/** ARIMA and GARCH artifacts are their fitted numbers as JSON: filtering recent candles needs no more. */
export interface ArimaArtifact {
  kind: "arima";
  order: [number, number, number];
  ar: number[];
  ma: number[];
  const: number;
  sigma2: number;
}

export interface GarchArtifact {
  kind: "garch";
  mu: number;
  omega: number;
  alpha: number;
  beta: number;
  backcast?: number;
}

const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/** Parses and checks a statistical artifact; throws a readable error for anything mis-shaped. */
export function parseStatArtifact(type: "arima" | "garch", bytes: Uint8Array): ArimaArtifact | GarchArtifact {
  let a: Record<string, unknown>;
  try {
    a = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw new Error(`${type} artifact is not valid UTF-8 JSON`);
  }
  if (!a || typeof a !== "object" || a.kind !== type) throw new Error(`artifact kind is not ${type}`);
  if (type === "arima") {
    const order = a.order as unknown[];
    const ok =
      Array.isArray(order) &&
      order.length === 3 &&
      order.every((n) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 5) &&
      Array.isArray(a.ar) &&
      a.ar.length === order[0] &&
      a.ar.every(finite) &&
      Array.isArray(a.ma) &&
      a.ma.length === order[2] &&
      a.ma.every(finite) &&
      finite(a.const) &&
      finite(a.sigma2) &&
      (a.sigma2 as number) > 0;
    if (!ok) throw new Error("arima artifact: order, ar, ma, const or sigma2 is mis-shaped");
    return a as unknown as ArimaArtifact;
  }
  const ok =
    [a.mu, a.omega, a.alpha, a.beta].every(finite) &&
    (a.omega as number) > 0 &&
    (a.alpha as number) >= 0 &&
    (a.beta as number) >= 0 &&
    (a.alpha as number) + (a.beta as number) < 1 &&
    (a.backcast === undefined || (finite(a.backcast) && (a.backcast as number) > 0));
  if (!ok) throw new Error("garch artifact: mu, omega, alpha or beta is mis-shaped or not stationary");
  return a as unknown as GarchArtifact;
}
