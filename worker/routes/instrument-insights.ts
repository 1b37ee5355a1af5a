// What the models say about a trained instrument: forecasts, the signal, price statistics, a backtest.
import { createRoute, type z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { LedgerEntry } from "../../core/ledger/entry";
import { createRouter } from "../app-env";
import {
  Backtest,
  BacktestQuery,
  historyRange,
  Predictions,
  Signal,
  SignalHistory,
  SignalHistoryQuery,
  Stats,
} from "../contract/insights";
import { SymbolParam } from "../contract/instruments";
import { trainedProfile } from "../db/profiles";
import { rangeOf } from "../ledger/drafts";
import { type Served, servedInsights } from "../ledger/served";
import { requireUser } from "../middleware/auth";
import { jsonOf } from "../middleware/gzip-body";
import { rateLimit } from "../middleware/rate-limit";
import { storedBacktest } from "../models/backtest";
import { signalHistory } from "../models/signal-history";
import { confidenceBasis } from "../models/signals";
import { instrumentStats } from "../models/stats";
import { errors, jsonContent } from "../schemas";

// Every route here computes forecasts or replays them: limited per user and per address. The forecast
// and signal routes, which dashboards poll, wait for the limiter only before work (a warm answer is in
// this isolate's memory; see worker/admission.ts).
const base = {
  tags: ["instruments"],
  security: [{ userBearer: [] }],
  middleware: [requireUser(), rateLimit("heavy")],
};
const polled = { ...base, middleware: [requireUser(), rateLimit("heavy", "before-work")] };

const failures = { 400: errors[400], 401: errors[401], 404: errors[404], 429: errors[429] };

const route = <P extends string, T extends z.ZodType>(
  path: P,
  summary: string,
  schema: T,
  description: string,
  limited = base,
) =>
  createRoute({
    ...limited,
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
  polled,
);
const signals = route(
  "/{symbol}/signals",
  "Buy, sell or hold from the skill-weighted models, with a confidence and the reasons",
  Signal,
  "Signal",
  polled,
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
  summary:
    "The hourly signals replayed over the models' rolling evaluation as a long-or-flat strategy, fees included (stored when a version is trained)",
  request: {
    params: SymbolParam,
    query: BacktestQuery,
  },
  responses: {
    200: jsonContent(Backtest, "Backtest"),
    ...failures,
    409: errors[409],
  },
});

const history = createRoute({
  ...base,
  method: "get",
  path: "/{symbol}/signals/history",
  summary:
    "The hourly signals the active models would have given at each hour in [from, to] (at most 366 days), each from candles up to that hour only",
  request: { params: SymbolParam, query: SignalHistoryQuery },
  responses: { 200: jsonContent(SignalHistory, "Signal history"), ...failures },
});
const predictionBodies = new WeakMap<Served, Uint8Array>();

/** The ledger entry a served forecast was recorded as. */
const ledgerRef = (entries: readonly LedgerEntry[], type: string, version: number) => {
  const e = entries.find(
    (x) => x.kind === "forecast" && x.model_type === type && x.model_version === version,
  );
  return e ? { seq: e.seq, hash: e.hash } : null;
};
const keepAlive = (c: Context) => (work: Promise<unknown>) => c.executionCtx.waitUntil(work);

export const instrumentInsightRoutes = createRouter()
  .openapi(predictions, async (c) => {
    const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
    const served = await servedInsights(c.env, c.var.db, p, keepAlive(c));
    const pred = served.prediction;
    const answer = () => ({
      symbol: pred.symbol,
      generated_at: pred.generated_at,
      origin: pred.last?.time ?? null,
      models: pred.models.map((m) => ({
        model_type: m.model_type,
        version: m.version,
        trained_at: m.trained_at,
        forecast: m.forecast,
        metrics: m.metrics,
        range: m.rangeSigma !== undefined && pred.last ? (rangeOf(m, pred.last.close) ?? null) : null,
        ledger: ledgerRef(served.entries, m.model_type, m.version),
      })),
    });
    // A warm forecast is the same kept object: its answer is built and gzipped once.
    return jsonOf(c, predictionBodies, served, answer);
  })
  .openapi(signals, async (c) => {
    const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
    const served = await servedInsights(c.env, c.var.db, p, keepAlive(c));
    const { signal, confidence, reasons, recorded } = served.signal;
    return c.json(
      {
        symbol: p.symbol,
        signal,
        confidence,
        confidence_basis: confidenceBasis(served.calibration),
        reasons,
        generated_at: served.prediction.generated_at,
        ledger: recorded ? { seq: recorded.seq, hash: recorded.hash } : null,
      },
      200,
    );
  })
  .openapi(history, async (c) => {
    const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
    const { from, to } = historyRange(c.req.valid("query"));
    const { points, liveFrom } = await signalHistory(c.env.BUCKET, c.var.db, p, from, to);
    return c.json({ symbol: p.symbol, from, to, live_from: liveFrom, signals: points }, 200);
  })
  .openapi(stats, async (c) => {
    const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
    return c.json(await instrumentStats(c.env.BUCKET, c.var.db, p), 200);
  })
  .openapi(backtest, async (c) => {
    const p = await trainedProfile(c.var.db, c.req.valid("param").symbol);
    const { model, mode } = c.req.valid("query");
    return c.json(await storedBacktest(c.var.db, p, model, mode), 200);
  });
