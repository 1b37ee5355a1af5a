// What an hour's close tells the instrument's alerts: the signal just decided, and the 95% band of the
// price forecast for the hours ahead (ARIMA's when it is active: the model whose band is a price
// interval by construction; else the first price model with a band). Sent by the ledger's hourly step.
import { kindOf } from "../../core/models/registry";
import type { BandPoint, HourFacts } from "./alert-watch";

/** The part of the ledger's served hour (ledger/served.ts) that alerts read. */
export interface ServedHour {
  prediction: {
    models: { model_type: string; forecast: { time: number; lower: number; upper: number }[] }[];
  };
  signal: { signal: string; recorded: unknown };
}

const isPriceModel = (type: string) => {
  try {
    return !kindOf(type).volatility;
  } catch {
    return false;
  }
};

export function hourFacts(origin: number, served: ServedHour): HourFacts {
  const models = served.prediction.models.filter((m) => isPriceModel(m.model_type));
  const ordered = [...models.filter((m) => m.model_type === "arima"), ...models];
  let band: BandPoint[] = [];
  for (const m of ordered) {
    const points = m.forecast
      .filter((f) => Number.isFinite(f.lower) && Number.isFinite(f.upper) && f.upper > f.lower)
      .map((f) => ({ time: f.time, lower: f.lower, upper: f.upper }));
    if (points.length) {
      band = points;
      break;
    }
  }
  return { origin, signal: served.signal.recorded ? served.signal.signal : null, band };
}
