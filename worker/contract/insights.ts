// What the models say about a trained instrument: forecasts, the signal, price statistics, a backtest.
import { z } from "@hono/zod-openapi";
import { DIRECTION_TYPES } from "../../core/models/registry";
import { ModelMetrics } from "./models";

export const SIGNAL_KINDS = ["buy", "sell", "hold"] as const;
/** long_flat: a sell signal goes flat; long_short: it also opens a short. */
export const BACKTEST_MODES = ["long_flat", "long_short"] as const;
export type BacktestMode = (typeof BACKTEST_MODES)[number];

export const ForecastPoint = z
  .object({
    time: z.number().int().openapi({ description: "Unix seconds of the forecast period's open" }),
    value: z.number(),
    lower: z.number().openapi({ description: "Lower bound of the 95% interval" }),
    upper: z.number().openapi({ description: "Upper bound of the 95% interval" }),
    sigma: z
      .number()
      .optional()
      .openapi({ description: "A volatility model's standard deviation of this hour's log return" }),
  })
  .openapi("ForecastPoint");

/** The ledger entry an answer was recorded as (GET .../ledger has it whole). */
export const LedgerRef = z
  .object({ seq: z.number().int(), hash: z.string() })
  .openapi("LedgerRef", { description: "The ledger entry this was recorded as, before its outcome" });

export const Predictions = z
  .object({
    symbol: z.string(),
    generated_at: z.string(),
    origin: z.number().int().nullable().openapi({
      description:
        "Open of the last closed hour: every forecast was made at its close, from candles up to it",
    }),
    models: z.array(
      z.object({
        model_type: z.string(),
        version: z.number().int(),
        trained_at: z.string().nullable(),
        forecast: z.array(ForecastPoint),
        metrics: ModelMetrics.nullable(),
        range: z
          .object({ hours: z.number().int(), lower: z.number(), upper: z.number() })
          .nullable()
          .openapi({
            description:
              "A volatility model's 95% range of the close `hours` after the origin, calibrated on its rolling evaluation (metrics.range_coverage)",
          }),
        ledger: LedgerRef.nullable(),
      }),
    ),
  })
  .openapi("Predictions");

export const ReliabilityBin = z
  .object({
    from: z.number(),
    to: z.number(),
    n: z.number().int(),
    predicted: z.number().openapi({ description: "Mean predicted probability in the bin" }),
    observed: z.number().openapi({ description: "Share of the bin's hours that went the predicted way" }),
  })
  .openapi("ReliabilityBin");

export const ConfidenceBasis = z
  .object({
    source: z.enum(["rolling_evaluation", "ledger"]),
    samples: z.number().int().openapi({ description: "Out-of-sample hours with voters the fit could use" }),
    n: z.number().int().nullable().openapi({ description: "Hours the fit rests on (null: too few to fit)" }),
    hits: z.number().int().nullable(),
    held_out: z
      .object({
        n: z.number().int(),
        brier: z.number(),
        brier_base_rate: z.number(),
        reliability: z.array(ReliabilityBin),
      })
      .nullable()
      .openapi({
        description:
          "Each hour predicted by the fit on earlier hours only: its Brier score against the base rate's, and the reliability table",
      }),
  })
  .openapi("ConfidenceBasis");

export const Signal = z
  .object({
    symbol: z.string(),
    signal: z.enum(SIGNAL_KINDS),
    confidence: z.number().min(0).max(1).nullable().openapi({
      description:
        "The calibrated probability that the next hour's close moves the way the voters lean (fitted on out-of-sample hours, see confidence_basis); null when no model may vote: no evidence of an edge",
    }),
    confidence_basis: ConfidenceBasis.nullable(),
    reasons: z.array(z.string()),
    generated_at: z.string(),
    ledger: LedgerRef.nullable(),
  })
  .openapi("Signal");

export const Stats = z
  .object({
    symbol: z.string(),
    as_of: z.string().openapi({ description: "When the last stored 1m candle closed" }),
    price: z.number(),
    change_24h: z.number().nullable().openapi({ description: "Same as returns.1d" }),
    returns: z.object({
      "1d": z.number().nullable(),
      "7d": z.number().nullable(),
      "30d": z.number().nullable(),
    }),
    volatility_annualized: z.number().nullable(),
    sharpe_annualized: z.number().nullable(),
    max_drawdown: z.number().max(0).nullable(),
    window: z
      .object({ from: z.number().nullable(), to: z.number().nullable(), daily_returns: z.number().int() })
      .openapi({ description: "The daily candles (opens) behind volatility, Sharpe and drawdown" }),
  })
  .openapi("Stats");

export const Backtest = z
  .object({
    symbol: z.string(),
    from: z
      .number()
      .int()
      .openapi({ description: "Open of the first hour replayed (after the training window)" }),
    to: z.number().int(),
    trades: z.number().int().openapi({ description: "Completed buy-then-sell round trips" }),
    win_rate: z.number().nullable(),
    total_return: z.number(),
    buy_and_hold_return: z
      .number()
      .openapi({ description: "Bought at the first close, sold at the last, same fees" }),
    sharpe_annualized: z.number().nullable(),
    max_drawdown: z.number().max(0),
    fees_bps: z.number(),
    mode: z.enum(BACKTEST_MODES),
    sharpe_basis: z
      .string()
      .openapi({ description: "Which returns the Sharpe ratio uses and how it is annualised" }),
    computed_at: z
      .string()
      .nullable()
      .openapi({ description: "When the trainer's completion stored this backtest" }),
    equity: z.array(z.object({ time: z.number().int(), value: z.number() })),
    fills: z
      .array(z.object({ time: z.number().int(), side: z.enum(["buy", "sell"]), price: z.number() }))
      .openapi({ description: "Every order at the hourly close it filled at: entries and exits" }),
  })
  .openapi("Backtest");

export const BacktestQuery = z.object({
  model: z
    .enum(DIRECTION_TYPES)
    .optional()
    .openapi({ description: "Replay one model's own forecasts; default: the signal ensemble" }),
  mode: z
    .enum(BACKTEST_MODES)
    .default("long_flat")
    .openapi({ description: "long_flat (default) or long_short: a sell signal also opens a short" }),
});

/** The widest signal history one request may ask for: a year of hours (~9k points). */
export const SIGNAL_HISTORY_MAX_SECONDS = 366 * 86_400;
const DAY_SECONDS = 86_400;
// Unix seconds up to 2100: a bigger number is almost surely milliseconds, refused clearly.
export const unixSeconds = (what: string) =>
  z.coerce
    .number()
    .int()
    .min(0)
    .max(4_102_444_800, { message: `${what} is Unix seconds (not milliseconds)` })
    .optional();

/** Refuses a query's [from, to] out of order or wider than `maxSeconds`. */
export function refineRange(r: { from: number; to: number }, maxSeconds: number, ctx: z.RefinementCtx) {
  if (r.from > r.to) ctx.addIssue({ code: "custom", path: ["from"], message: "from must not be after to" });
  else if (r.to - r.from > maxSeconds)
    ctx.addIssue({
      code: "custom",
      path: ["to"],
      message: `the range may span at most ${maxSeconds / DAY_SECONDS} days`,
    });
}

/** The query's range with its defaults: to = now, from = 30 days before to. */
export function historyRange(q: { from?: number; to?: number }) {
  const to = q.to ?? Math.floor(Date.now() / 1000);
  return { from: q.from ?? to - 30 * DAY_SECONDS, to };
}

export const SignalHistoryQuery = z
  .object({
    from: unixSeconds("from").openapi({
      description: "Unix seconds: the first hour (candle open) wanted; default: 30 days before `to`",
      example: 1719792000,
    }),
    to: unixSeconds("to").openapi({
      description: "Unix seconds: the last hour wanted, inclusive; default: now",
      example: 1722470400,
    }),
  })
  .superRefine((q, ctx) => refineRange(historyRange(q), SIGNAL_HISTORY_MAX_SECONDS, ctx));

export const SignalHistory = z
  .object({
    symbol: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    live_from: z.number().int().openapi({
      description:
        "Open of the first hour decided by the active models themselves (after every training window); earlier hours are the stored backtest's decisions over the rolling evaluation",
    }),
    signals: z
      .array(
        z.object({
          time: z.number().int().openapi({
            description:
              "Open of the hourly candle at whose close the signal was decided, from candles up to it",
          }),
          signal: z.enum(SIGNAL_KINDS),
          confidence: z.number().min(0).max(1).nullable().openapi({
            description:
              "Calibrated on hours before this one only (backtest) or on the whole evaluation (live); null with no voter",
          }),
          source: z.enum(["backtest", "live"]).openapi({
            description:
              "backtest: fold models fitted before the hour, votes from evidence on hours already closed; live: the active models, voting by their training evaluation",
          }),
        }),
      )
      .openapi({ description: "Every hour in [from, to] that has a signal, oldest first" }),
  })
  .openapi("SignalHistory");
