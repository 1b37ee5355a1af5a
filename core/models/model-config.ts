// Named constants of the statistical models (ARIMA, GARCH) and of their honest evaluation.
import { TIMEFRAME_SECONDS, type Timeframe } from "../candles/timeframes";

/**
 * The statistical models work on 1h candles aggregated from the collected 1m candles: a one-minute-ahead
 * forecast is mostly microstructure noise, while hourly closes carry the volatility clustering GARCH
 * models and keep a year of history to ~8,800 points, cheap enough to refit in the trainer.
 */
export const MODEL_TIMEFRAME = "1h" satisfies Timeframe;
export const MODEL_PERIOD_SECONDS = TIMEFRAME_SECONDS[MODEL_TIMEFRAME];

/** The forecast path shown to users: 24 steps of MODEL_TIMEFRAME (one day) with a 95% interval. */
export const FORECAST_STEPS = 24;
/** Two-sided 95% normal quantile; ARIMA intervals are mean +- z * sqrt(variance) in log space. */
export const INTERVAL_Z = 1.959964;

/** Metrics judge the next period only (horizon = 1 candle of MODEL_TIMEFRAME). */
export const EVAL_HORIZON = 1;
/** Held-out test part: the last 20% of the training window, never seen by the fit. */
export const TEST_FRACTION = 0.2;
/** The fewest MODEL_TIMEFRAME candles a model is fitted on, and scored on (see minTrainingCandles). */
export const MIN_FIT_PERIODS = 200;
export const MIN_TEST_PERIODS = 24;

/** ARIMA works on the natural log of the close; callers exp() means and interval bounds. */
export const ARIMA_SERIES = "log_close";
/** The order grid searched by AIC. d is chosen first by the KPSS test (AIC cannot compare d). */
export const ARIMA_GRID = { p: [0, 1, 2, 3], d: [0, 1], q: [0, 1, 2, 3] } as const;
/** KPSS level-stationarity test at 5% (Kwiatkowski et al. 1992, table 1): above it we difference. */
export const KPSS_CRITICAL_5PCT = 0.463;

/** GARCH works on 100 * log return (percent), for numerical conditioning of omega. */
export const GARCH_RETURNS = "log_return_pct";
/** alpha + beta is kept at or below this, so the variance stays mean-reverting (covariance stationary). */
export const GARCH_PERSISTENCE_MAX = 1 - 1e-6;
/** arch's backcast of the initial variance: exponentially weighted (0.94) over the first 75 residuals. */
export const GARCH_BACKCAST_SPAN = 75;
export const GARCH_BACKCAST_DECAY = 0.94;
/** QLIKE's naive baseline: mean squared return over the previous week of hourly returns. */
export const NAIVE_VARIANCE_WINDOW = 168;
