// How each model type is named and coloured everywhere (chart lines, legend, admin tables): its names
// and flags are core's (kind-info.ts), its colour follows its place among the model types, so a new
// kind changes nothing here.
import { kindInfo } from "../../../core/models/kind-info";
import { MODEL_TYPES, type ModelType } from "../api-types";

interface ModelLook {
  label: string;
  color: string;
  blurb: string;
  /** Its forecast is in price units and drawn over the candles. */
  pricePath: boolean;
  /** A volatility model: judged by QLIKE against the EWMA, never by a price skill. */
  volatility: boolean;
}

const PALETTE = ["#FF4FB0", "#B58CFF", "#38BDF8", "#FBBF24", "#34D399", "#F97316", "#A3E635", "#F472B6"];

/** `index`: the model's place in the list shown, which colours a type this build does not know. */
export function modelLook(type: string, index = 0): ModelLook {
  const place = MODEL_TYPES.indexOf(type as ModelType);
  const color = PALETTE[(place >= 0 ? place : MODEL_TYPES.length + index) % PALETTE.length];
  const info = kindInfo(type);
  if (!info) return { label: type, color, blurb: "forecasting model", pricePath: false, volatility: false };
  return {
    label: info.name,
    color,
    blurb: info.blurb,
    pricePath: info.pricePath,
    volatility: info.volatility,
  };
}

export const UP_COLOR = "#2BD9A0";
export const DOWN_COLOR = "#FF4D6D";
