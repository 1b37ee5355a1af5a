// Named numbers of the user-facing model routes: history read, caches, signal rules, stats windows.
import { FORECAST_STEPS, MODEL_PERIOD_SECONDS } from "../../core/models/model-config";

export { FORECAST_STEPS, MODEL_PERIOD_SECONDS };

/** Hourly candles fed to the models: 60 days lets the ARIMA filter and the GARCH recursion forget
 * their starting state (both decay geometrically) while staying one D1 read of ~1,440 rollup rows. */
export const MODEL_HISTORY_PERIODS = 24 * 60;

// What an isolate keeps of forecasts, models and answers is bounded in bytes: worker/memory.ts.

// The signal's fees, band and vote level are the vote rule's (core/models/vote.ts).
export { FEE_BPS, ROUND_TRIP_COST, SIGNAL_EDGE_SIGMAS, VOTE_FAMILY_ALPHA } from "../../core/models/vote";
/** Backtest: a model's evidence (skill, DM p-value) needs this many scored hours before it may vote,
 * and is recomputed from the hours closed so far every EVIDENCE_REFRESH_HOURS. */
export const EVIDENCE_MIN_HOURS = 168;
export const EVIDENCE_REFRESH_HOURS = 24;
/** Hourly returns used for the volatility when no GARCH model is active: one week. */
export const REALIZED_VOL_PERIODS = 168;

/** Stats: daily closes of the last (up to) 365 daily returns. */
export const STATS_WINDOW_DAYS = 365;
/** Return horizons of the stats answer, in UTC days. */
export const RETURN_DAYS = { "7d": 7, "30d": 30 } as const;
