// The four model types every instrument can have: the one enumeration, free of model code so that the
// web app can import it. What each type is and does lives in core/models/registry.ts.
export const MODEL_TYPES = ["arima", "garch", "gru_attention", "cnn_pattern"] as const;
export type ModelType = (typeof MODEL_TYPES)[number];
export const isModelType = (s: unknown): s is ModelType => MODEL_TYPES.includes(s as ModelType);
