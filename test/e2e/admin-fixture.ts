// Test-only: contract-shaped admin answers (profiles, jobs, models, data status, WS events) for the
// screenshots (the mock parses each with the contract's schema).
import type { Market } from "./market-fixture";

const T0 = Date.UTC(2024, 6, 1, 0, 1) / 1000; // the screenshots' "now": just after the data ends
const iso = (sec: number) => new Date(sec * 1000).toISOString();

export function profiles(markets: Market[]) {
  const rows = markets.map((m, i) => ({
    id: i + 1,
    symbol: m.symbol,
    name: m.name,
    profile_type: "crypto",
    exchange: m.exchange,
    is_active: true,
    has_data: true,
    models_trained: true,
    last_data_update: iso(m.m1.at(-1)!.time + 60) as string | null,
    tick_size: 0.01 as number | null,
    created_at: iso(T0 - 90 * 86_400),
    updated_at: iso(T0 - 60),
    simulated: false,
    collection: {
      failing: false,
      failures: 0,
      last_error: null as string | null,
      last_error_at: null as string | null,
    },
  }));
  rows.push({
    id: 3,
    symbol: "SOLUSDT",
    name: "Solana / Tether",
    profile_type: "crypto",
    exchange: "binance",
    is_active: true,
    has_data: false,
    models_trained: false,
    last_data_update: null,
    tick_size: null,
    created_at: iso(T0 - 3600),
    updated_at: iso(T0 - 3600),
    simulated: false,
    // A profile whose collection keeps failing: the admin row shows the last error and when.
    collection: {
      failing: true,
      failures: 14,
      last_error: "binance: request timed out after 10000 ms (fetchOHLCV SOL/USDT)",
      last_error_at: iso(T0 - 60),
    },
  });
  return rows;
}

/** A job row as the API lists it: the given fields over a queued job's defaults. */
function job(
  fields: { id: number; kind: string; status: string; created_at: number } & Record<string, unknown>,
) {
  const open = fields.status === "queued";
  return {
    progress: 0,
    profile_id: null,
    symbol: null,
    model_type: null,
    params: null,
    message: null,
    error: null,
    attempts: open ? 0 : 1,
    max_attempts: 3,
    ...fields,
    created_at: iso(fields.created_at),
    started_at: open ? null : iso(fields.created_at + 5),
    finished_at: ["succeeded", "failed", "cancelled"].includes(fields.status)
      ? iso(fields.created_at + 60)
      : null,
    updated_at: iso(fields.created_at + 60),
  };
}

export function jobs() {
  return [
    {
      id: 42,
      kind: "collect",
      status: "running",
      progress: 0.62,
      profile_id: 3,
      message: "day 19 of 30: 27,360 candles",
      created_at: T0 - 240,
    },
    {
      id: 41,
      kind: "train",
      status: "running",
      progress: 0.35,
      profile_id: 1,
      model_type: "gru_attention",
      message: "epoch 7/20 · val loss 0.000412",
      created_at: T0 - 600,
    },
    {
      id: 40,
      kind: "train",
      status: "queued",
      progress: 0,
      profile_id: 1,
      model_type: "cnn_pattern",
      created_at: T0 - 600,
    },
    {
      id: 39,
      kind: "train",
      status: "succeeded",
      progress: 1,
      profile_id: 1,
      model_type: "arima",
      message: "ARIMA(2,1,1) · skill +2.1%",
      created_at: T0 - 900,
    },
    {
      id: 38,
      kind: "train",
      status: "failed",
      progress: 0.8,
      profile_id: 2,
      model_type: "garch",
      error: "optimizer did not converge after 500 iterations",
      created_at: T0 - 1800,
    },
    { id: 37, kind: "collect", status: "cancelled", progress: 0.1, profile_id: 2, created_at: T0 - 7200 },
  ].map(job);
}

export function models(markets: Market[]) {
  const out: unknown[] = [];
  let id = 1;
  markets.forEach((m, i) => {
    const to = m.m1.at(-1)!.time - 30 * 86_400;
    const trained_on = { timeframe: "1h", from: m.m1[0].time, to };
    const metrics = (skill: number, dir: number, extra = {}) => ({
      timeframe: "1h",
      horizon: 1,
      test_from: to + 3600,
      test_to: m.m1.at(-1)!.time,
      n: 719,
      mae: 212.4 * (1 - skill),
      naive_mae: 212.4,
      skill,
      directional_accuracy: dir,
      ...extra,
    });
    const common = {
      profile_id: i + 1,
      symbol: m.symbol,
      status: "ready",
      active: true,
      trained_at: iso(T0 - 3 * 3600),
      trained_on,
      artifact_sha256: "0".repeat(64),
      artifact_bytes: 18_432,
    };
    out.push(
      {
        id: id++,
        ...common,
        model_type: "arima",
        version: 3,
        parameters: {
          order: [2, 1, 1],
          series: "log_close",
          ar: [0.412, -0.087],
          ma: [-0.391],
          const: 0.0000121,
          sigma2: 0.0000183,
          log_likelihood: 31245.7,
          aic: -62481.4,
        },
        metrics: metrics(0.021, 0.524),
      },
      {
        id: id++,
        ...common,
        model_type: "garch",
        version: 3,
        parameters: {
          returns: "log_return_pct",
          mu: 0.0041,
          omega: 0.0213,
          alpha: 0.0871,
          beta: 0.8894,
          log_likelihood: -9123.4,
        },
        metrics: metrics(0.004, 0.5, {
          qlike: 1.183,
          naive_qlike: 1.247,
          qlike_benchmark: "ewma_0.94",
          qlike_dm_pvalue: 0.031,
          range_hours: 24,
          range_coverage: 0.943,
          range_n: 1236,
          range_band_z: 1.02,
        }),
      },
      {
        id: id++,
        ...common,
        model_type: "gru_attention",
        version: 2,
        parameters: { window: 64, features: 5, units: 32, epochs: 20, backend: "wasm" },
        metrics: metrics(0.034, 0.547),
      },
      {
        id: id++,
        ...common,
        model_type: "cnn_pattern",
        version: 2,
        parameters: { window: 48, features: 5, filters: 16, kernel: 5, epochs: 15, backend: "wasm" },
        metrics: metrics(-0.012, 0.509),
      },
    );
  });
  return out;
}

export function dataStatus(m: Market, id: number) {
  return {
    profile_id: id,
    symbol: m.symbol,
    candles: m.m1.length,
    first_time: m.m1[0].time,
    last_time: m.m1.at(-1)!.time,
    gaps: [
      { from: Date.UTC(2024, 2, 24, 12, 40) / 1000, to: Date.UTC(2024, 2, 24, 13, 59) / 1000, minutes: 80 },
    ],
  };
}

export function progressEvents() {
  return [
    {
      type: "data_collection_progress",
      job_id: 42,
      profile_id: 3,
      symbol: "SOLUSDT",
      progress: 0.64,
      message: "day 20 of 30",
      time: iso(T0 - 5),
    },
    {
      type: "model_training_progress",
      job_id: 41,
      profile_id: 1,
      symbol: "BTCUSDT",
      progress: 0.4,
      message: "epoch 8/20 · val loss 0.000398",
      time: iso(T0 - 3),
    },
    {
      type: "data_collection_progress",
      job_id: 42,
      profile_id: 3,
      symbol: "SOLUSDT",
      progress: 0.67,
      message: "day 21 of 30",
      time: iso(T0 - 1),
    },
  ];
}

export const NOW_MS = T0 * 1000;
