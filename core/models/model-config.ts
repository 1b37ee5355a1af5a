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
/** Held-out test part of the single-split helpers in evaluate.ts: the last 20% of the window. */
export const TEST_FRACTION = 0.2;
/**
 * Rolling-origin evaluation: the last EVAL_FRACTION of the window is cut into equal test blocks (one per
 * origin, each kind says how many); at each origin the model is fitted afresh on every candle before
 * its block and scored on the block. Every kind's fold count divides EVAL_BLOCKS, so all kinds are
 * scored on the same hours and their fold edges line up.
 */
export const EVAL_FRACTION = 0.36;
export const EVAL_BLOCKS = 6;
/** A fold needs at least this many training candles, and a test block this many. */
export const MIN_TRAIN_CANDLES = 200;
export const MIN_BLOCK_CANDLES = 24;
/** Coverage the forecast bands are calibrated to. */
export const BAND_LEVEL = 0.95;

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
