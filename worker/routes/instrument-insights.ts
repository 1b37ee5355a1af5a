// What the models say about a trained instrument: forecasts, the signal, price statistics, a backtest.
import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../app-env";
import { requireUser } from "../middleware/auth";
import { rateLimit } from "../middleware/rate-limit";
import { backtestInstrument, DIRECTION_MODELS } from "../models/backtest";
import { predictInstrument } from "../models/predict";
import { signalOf } from "../models/signals";
import { instrumentStats } from "../models/stats";
import { errors, jsonContent } from "../schemas";
import { SymbolParam, trainedProfile } from "./instruments";

// Every route here computes forecasts or replays them: limited per user and per address.
const base = {
  tags: ["instruments"],
  security: [{ userBearer: [] }],
  middleware: [requireUser(), rateLimit("heavy")],
};

const failures = { 400: errors[400], 401: errors[401], 404: errors[404], 429: errors[429] };

const ForecastPoint = z
  .object({
    time: z.number().int().openapi({ description: "Unix seconds of the forecast period's open" }),
    value: z.number(),
    lower: z.number().openapi({ description: "Lower bound of the 95% interval" }),
    upper: z.number().openapi({ description: "Upper bound of the 95% interval" }),
  })
  .openapi("ForecastPoint");

const Predictions = z
  .object({
    symbol: z.string(),
    generated_at: z.string(),
    models: z.array(
      z.object({
        model_type: z.string(),
        version: z.number().int(),
        trained_at: z.string().nullable(),
        forecast: z.array(ForecastPoint),
        metrics: z.record(z.string(), z.unknown()).nullable(),
      }),
    ),
  })
  .openapi("Predictions");

const Signal = z
  .object({
    symbol: z.string(),
    signal: z.enum(["buy", "sell", "hold"]),
    confidence: z.number().min(0).max(1),
    reasons: z.array(z.string()),
    generated_at: z.string(),
  })
  .openapi("Signal");

const Stats = z
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

const Backtest = z
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
    equity: z.array(z.object({ time: z.number().int(), value: z.number() })),
  })
  .openapi("Backtest");

const route = <T extends z.ZodType>(path: string, summary: string, schema: T, description: string) =>
  createRoute({
    ...base,
    method: "get",
    path,
    summary,
    request: { params: SymbolParam },
    responses: { 200: jsonContent(schema, description), ...failures },
  });

const predictions = route(
  "/{symbol}/predictions",
  "Forecast paths of every active model with 95% intervals and out-of-sample metrics",
  Predictions,
  "Forecasts",
);
const signals = route(
  "/{symbol}/signals",
  "Buy, sell or hold from the skill-weighted models, with a confidence and the reasons",
  Signal,
  "Signal",
);
const stats = route(
  "/{symbol}/stats",
  "Returns (fractions), annualised volatility and Sharpe ratio, maximum drawdown",
  Stats,
  "Statistics",
);

const backtest = createRoute({
  ...base,
  method: "get",
  path: "/{symbol}/backtest",
  summary: "The hourly signals replayed out of sample as a long-or-flat strategy, fees included",
  request: {
    params: SymbolParam,
    query: z.object({
      model: z
        .enum(DIRECTION_MODELS)
        .optional()
        .openapi({ description: "Replay one model's own forecasts; default: the signal ensemble" }),
    }),
  },
  responses: {
    200: jsonContent(Backtest, "Backtest"),
    ...failures,
    409: errors[409],
  },
});

export const instrumentInsightRoutes = createRouter()
  .openapi(predictions, async (c) => {
    const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
    const pred = await predictInstrument(c.env.BUCKET, c.var.db, p);
    const models = pred.models.map(({ model_type, version, trained_at, forecast, metrics }) => ({
      model_type,
      version,
      trained_at,
      forecast,
      metrics,
    }));
    return c.json({ symbol: pred.symbol, generated_at: pred.generated_at, models }, 200);
  })
  .openapi(signals, async (c) => {
    const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
    const pred = await predictInstrument(c.env.BUCKET, c.var.db, p);
    const { signal, confidence, reasons } = signalOf(pred);
    return c.json({ symbol: pred.symbol, signal, confidence, reasons, generated_at: pred.generated_at }, 200);
  })
  .openapi(stats, async (c) => {
    const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
    return c.json(await instrumentStats(c.env.BUCKET, c.var.db, p), 200);
  })
  .openapi(backtest, async (c) => {
    const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
    return c.json(await backtestInstrument(c.env.BUCKET, c.var.db, p, c.req.valid("query").model), 200);
  });
