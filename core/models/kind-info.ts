// What each model type is, free of model code so that the web app can read it (registry.ts pulls in
// tfjs): its names, one line on what it does, and the roles its forecast plays. The kind modules in
// kinds/ take their label and flags from here; a new type adds its entry here and its module there.
import type { ModelType } from "./model-types";

export interface KindInfo {
  /** Full name the app shows: chart legend and toggles, admin tables, the landing page. */
  name: string;
  /** Short name used in the signal's reasons. */
  label: string;
  /** One line on what it forecasts and how. */
  blurb: string;
  /** Forecasts the direction of the price (may vote in the signal); false for a volatility model. */
  direction: boolean;
  /** Its sigma is the volatility the signal's trade band uses (GARCH); its QLIKE is reported. */
  volatility: boolean;
  /** Its forecast path is in price units, drawn over the candles (a volatility model's is the last
   *  close with its widening band). */
  pricePath: boolean;
  /** Trains with tfjs: the trainer picks its tfjs backend first. */
  tfjs: boolean;
  /** Rolling origins of the evaluation: the model is fitted afresh at each. */
  folds: number;
}

const STATISTICAL = { pricePath: true, tfjs: false, folds: 6 } as const;
const NET = { direction: true, volatility: false, pricePath: true, tfjs: true, folds: 3 } as const;

export const KIND_INFO: { readonly [T in ModelType]: KindInfo } = {
  arima: {
    name: "ARIMA",
    label: "ARIMA",
    blurb: "log-price path, order chosen by AIC",
    direction: true,
    volatility: false,
    ...STATISTICAL,
  },
  garch: {
    name: "GARCH(1,1)",
    label: "GARCH",
    blurb: "volatility path by Gaussian MLE",
    direction: false,
    volatility: true,
    ...STATISTICAL,
  },
  gru_attention: {
    name: "GRU + attention",
    label: "GRU + attention",
    blurb: "recurrent network over recent candles",
    ...NET,
  },
  cnn_pattern: {
    name: "CNN pattern",
    label: "CNN pattern",
    blurb: "1-D convolutions over OHLCV windows",
    ...NET,
  },
};

/** The info of `type`, or null for a type this build does not know. */
export function kindInfo(type: string): KindInfo | null {
  return Object.hasOwn(KIND_INFO, type) ? KIND_INFO[type as ModelType] : null;
}
