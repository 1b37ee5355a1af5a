// The API's shapes are not declared here: they are inferred from the Worker's route schemas
// (worker/contract), and the enumerations come from core/, so the web app cannot drift from the API.

export { ALERT_KINDS, ALERT_LIMITS } from "../../core/alerts/rules";
export { TIMEFRAMES } from "../../core/candles/timeframes";
export { PROFILE_SYMBOL, PROFILE_TYPES } from "../../core/instruments";
export { BACKFILL_DAYS, OPEN_JOB_STATUSES, RETRYABLE_JOB_STATUSES } from "../../core/jobs";
export { MODEL_TYPES } from "../../core/models/model-types";
export type * from "../../worker/contract";
