// The one owner of model kinds: every kind's module (fit, artifact encode/decode, one-step forecasts,
// forecast path) by its model type. The trainer, the Worker's prediction, backtest, cache and upload
// checks all go through here; adding a kind means its type (model-types.ts), its names and flags
// (kind-info.ts), a module in kinds/, a line here and a test.
import { arimaKind } from "./kinds/arima";
import { garchKind } from "./kinds/garch";
import { netKind } from "./kinds/net";
import type { ModelKind } from "./kinds/types";
import { isModelType, MODEL_TYPES, type ModelType } from "./model-types";

export { isModelType, MODEL_TYPES, type ModelType };

// biome-ignore lint/suspicious/noExplicitAny: each kind has its own model type; callers keep it opaque
export type AnyKind = ModelKind<any>;

export const MODEL_KINDS: { readonly [T in ModelType]: AnyKind } = {
  arima: arimaKind,
  garch: garchKind,
  gru_attention: netKind("gru_attention"),
  cnn_pattern: netKind("cnn_pattern"),
};

/** The kind of `type`; throws for a type no module owns. */
export function kindOf(type: string): AnyKind {
  if (!isModelType(type)) throw new Error(`unknown model type ${type}`);
  return MODEL_KINDS[type];
}

/** Model types that forecast the price's direction (and so may vote in the signal). */
export const DIRECTION_TYPES = MODEL_TYPES.filter((t) => MODEL_KINDS[t].direction) as [
  ModelType,
  ...ModelType[],
];
