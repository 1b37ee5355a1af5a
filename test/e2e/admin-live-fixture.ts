// Test-only: a stateful admin backend for the console's live-update browser test: rows the mocked API
// (mock-api.ts) answers from, changed by the test, and ProgressHub events parsed with the contract's own
// schema so they cannot drift from what the Worker sends.
import { ProgressEvent } from "../../worker/contract/progress";

export const NOW = "2026-01-05T12:00:00.000Z";

/** The server's side of the story: rows the mocked routes answer from, changed by the test. */
export function backend() {
  const profile = (id: number, symbol: string, has_data: boolean, models_trained: boolean) => ({
    id,
    symbol,
    name: symbol,
    profile_type: "crypto",
    exchange: "binance",
    is_active: true,
    simulated: false,
    has_data,
    models_trained,
    last_data_update: has_data ? NOW : null,
    tick_size: 0.01,
    created_at: NOW,
    updated_at: NOW,
    collection: { failing: false, failures: 0, last_error: null, last_error_at: null },
  });
  const job = (
    id: number,
    kind: "train" | "collect",
    status: string,
    progress: number,
    profile_id: number,
  ) => ({
    id,
    kind,
    status,
    progress,
    profile_id,
    symbol: profile_id === 1 ? "BTCUSDT" : "SOLUSDT",
    model_type: kind === "train" ? "arima" : null,
    params: null,
    message: null as string | null,
    error: null,
    attempts: 1,
    max_attempts: 3,
    created_at: NOW,
    started_at: NOW,
    finished_at: null as string | null,
    updated_at: NOW,
  });
  const model = (version: number, active: boolean) => ({
    id: version,
    profile_id: 1,
    symbol: "BTCUSDT",
    model_type: "arima",
    version,
    status: "ready",
    active,
    trained_at: NOW,
    trained_on: { timeframe: "1h", from: 1_700_000_000, to: 1_760_000_000 },
    parameters: { order: [1, 1, 0] },
    artifact_sha256: "0".repeat(64),
    artifact_bytes: 1_024,
    metrics: {
      timeframe: "1h",
      horizon: 1,
      n: 100,
      mae: 1,
      naive_mae: 1.1,
      skill: 0.09,
      // Three rolling origins, as the trainer reports them (blocks of ~33 hours before the end).
      folds: [0, 1, 2].map((k) => ({
        test_from: 1_760_000_000 - (3 - k) * 120_000,
        test_to: 1_760_000_000 - (2 - k) * 120_000,
        trained_to: 1_760_000_000 - (3 - k) * 120_000 - 3600,
        n: 33,
        mae: 1 + k / 10,
        naive_mae: 1.1,
        skill: 0.09 - k / 10,
        directional_accuracy: 0.52,
        dm_pvalue: 0.2 + k / 10,
        band_z: 1.96 + k / 100,
        coverage_95: 0.95,
      })),
    },
  });
  const jobs = [job(125, "train", "running", 0.4, 1), job(124, "collect", "running", 0.6, 2)];
  for (let id = 123; id >= 101; id--) jobs.push(job(id, id % 2 ? "train" : "collect", "succeeded", 1, 1));
  return {
    instruments: [],
    markets: new Map(),
    profiles: [profile(1, "BTCUSDT", true, true), profile(2, "SOLUSDT", false, false)],
    jobs,
    models: [model(1, true)],
    trainers: [],
    // The hub greets each socket it accepts.
    hubEvents: [{ afterMs: 0, event: event({ type: "status_update", message: "connected" }) }],
    /** Both jobs finish: arima v2 becomes active, SOLUSDT has its candles. */
    finish() {
      Object.assign(jobs[0], {
        status: "succeeded",
        progress: 1,
        message: "arima v2 active",
        finished_at: NOW,
      });
      Object.assign(jobs[1], { status: "succeeded", progress: 1, message: "done: 43200 candles stored" });
      this.models = [model(2, true), { ...model(1, false), status: "retired" }];
      Object.assign(this.profiles[1], { has_data: true, last_data_update: NOW });
    },
  };
}

export type Backend = ReturnType<typeof backend>;

/** An event as the ProgressHub sends it, checked against the contract's schema. */
export function event(e: Partial<HubEvent> & Pick<HubEvent, "type" | "message">): HubEvent {
  return ProgressEvent.parse({
    job_id: null,
    profile_id: null,
    symbol: null,
    progress: null,
    time: NOW,
    ...e,
  });
}
export type HubEvent = ReturnType<typeof ProgressEvent.parse>;
