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
  })
  .openapi("ForecastPoint");

export const Predictions = z
  .object({
    symbol: z.string(),
    generated_at: z.string(),
    models: z.array(
      z.object({
        model_type: z.string(),
        version: z.number().int(),
        trained_at: z.string().nullable(),
        forecast: z.array(ForecastPoint),
        metrics: ModelMetrics.nullable(),
      }),
    ),
  })
  .openapi("Predictions");

export const Signal = z
  .object({
    symbol: z.string(),
    signal: z.enum(SIGNAL_KINDS),
    confidence: z.number().min(0).max(1),
    reasons: z.array(z.string()),
    generated_at: z.string(),
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
