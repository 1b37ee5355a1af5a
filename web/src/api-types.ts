// The API's shapes are not declared here: they are inferred from the Worker's route schemas
// (worker/contract), and the enumerations come from core/, so the web app cannot drift from the API.

export { TIMEFRAMES } from "../../core/candles/timeframes";
export { OPEN_JOB_STATUSES, RETRYABLE_JOB_STATUSES } from "../../core/jobs";
export { MODEL_TYPES } from "../../core/models/model-types";
export { BACKFILL_DAYS, PROFILE_SYMBOL, PROFILE_TYPES } from "../../worker/config";
export type * from "../../worker/contract";
