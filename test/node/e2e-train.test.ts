// End to end: replay exchange -> backfill through the Worker -> trainer CLI trains all four models ->
// they are active and the instrument is visible to users.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type LocalStack, STACK_HOOK_MS, startLocalStack } from "../helpers/local-stack";
import { realKlineFile } from "../helpers/real-data";

// The committed real BTCUSDT weeks run 2024-02-12 .. 03-10. The replay shifts them by whole weeks, so
// its present falls within the last week before nowAt: 20 days back from there are always recorded.
const DAYS = 20;
let stack: LocalStack;

describe("collect and train end to end against a local Worker", () => {
  beforeAll(async () => {
    stack = await startLocalStack({ files: [realKlineFile("BTCUSDT")], nowAt: "2024-03-10T23:59:00Z" });
  }, STACK_HOOK_MS);
  afterAll(async () => stack?.stop());

  it("backfills, trains every model type with the trainer CLI, and shows the instrument to users", async () => {
    const admin = await stack.admin();
    const profile = (await stack.api("POST", "/api/admin/profiles", admin, { symbol: "BTCUSDT" })).json;
    const job = (await stack.api("POST", "/api/admin/collect", admin, { symbols: ["BTCUSDT"], days: DAYS }))
      .json.jobs[0];
    for (let i = 0; i < 240; i++) {
      const j = (await stack.api("GET", `/api/admin/jobs/${job.id}`, admin)).json;
      if (j.status === "succeeded") break;
      if (j.status === "failed") throw new Error(j.error);
      await new Promise((r) => setTimeout(r, 250));
    }
    const status = (await stack.api("GET", `/api/admin/profiles/${profile.id}/data-status`, admin)).json;
    expect(status.candles).toBeGreaterThanOrEqual(DAYS * 1440 - 1);

    const queued = await stack.api("POST", "/api/admin/train-models", admin, { profile_ids: [profile.id] });
    expect(queued.status).toBe(202);
    expect(queued.json.jobs).toHaveLength(4);

    const run = spawnSync("npx", ["tsx", "trainer/cli.ts", "--once", "--worker-id", "e2e"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      env: { ...process.env, WORKER_URL: stack.url, TRAINER_TOKEN: stack.secrets.TRAINER_TOKEN },
      encoding: "utf8",
      timeout: 300_000,
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/queue empty, exiting/);

    const models = (await stack.api("GET", `/api/admin/models?profile_id=${profile.id}`, admin)).json;
    expect(models.map((m: any) => m.model_type).sort(), run.stdout).toEqual([
      "arima",
      "cnn_pattern",
      "garch",
      "gru_attention",
    ]);
    for (const m of models) {
      expect(m).toMatchObject({ active: true, version: 1, status: "ready" });
      expect(m.trained_on.timeframe).toBe("1h");
      // Rolling origins: every fold's model was fitted before its block; the shipped one on everything.
      expect(m.metrics.folds.length).toBeGreaterThanOrEqual(
        m.model_type.startsWith("arima") || m.model_type === "garch" ? 6 : 3,
      );
      for (const f of m.metrics.folds) expect(f.test_from).toBeGreaterThan(f.trained_to);
      expect(m.trained_on.to).toBe(m.metrics.test_to);
      expect(m.metrics.skill).toBeCloseTo(1 - m.metrics.mae / m.metrics.naive_mae, 12);
      expect(m.metrics.dm_pvalue).toBeGreaterThanOrEqual(0);
      expect(m.metrics.dm_pvalue).toBeLessThanOrEqual(1);
      expect(m.metrics.coverage_95).toBeGreaterThan(0.5);
    }
    const garch = models.find((m: any) => m.model_type === "garch");
    expect(garch.parameters.alpha + garch.parameters.beta).toBeLessThan(1);
    expect(garch.metrics).toHaveProperty("qlike");

    const user = await stack.api("POST", "/api/auth/signup", undefined, {
      email: "e2e-user@example.com",
      password: "e2e user password",
    });
    const list = await stack.api("GET", "/api/instruments", user.json.token);
    expect(list.json.map((i: any) => i.symbol)).toEqual(["BTCUSDT"]);
    expect(list.json[0].price).toBeGreaterThan(0);
    // The set's backtest is stored off the last completion's request, by the MODELS_QUEUE consumer,
    // over the rolling evaluation's hours: wait for it to be there.
    const backtest = () => stack.api("GET", "/api/instruments/BTCUSDT/backtest?model=arima", user.json.token);
    const bt = await vi.waitUntil(
      async () => {
        const res = await backtest();
        return res.status === 409 ? null : res;
      },
      { timeout: 60_000, interval: 250 },
    );
    expect(bt.status, JSON.stringify(bt.json)).toBe(200);
    const arima = models.find((m: any) => m.model_type === "arima");
    expect(bt.json.from).toBe(arima.metrics.folds[0].trained_to);
    expect(bt.json.equity.length).toBeGreaterThan(100);
    // The hourly signal history: the stored ensemble decisions the backtest traded on, then the live
    // models' own from the end of their training window on.
    const token = user.json.token;
    const history = await stack.api("GET", "/api/instruments/BTCUSDT/signals/history", token);
    expect(history.status, JSON.stringify(history.json)).toBe(200);
    const windowEnd = Math.max(...models.map((m: any) => m.trained_on.to));
    expect(history.json.live_from).toBe(windowEnd);
    const signals = history.json.signals as { time: number; signal: string; source: string }[];
    expect(signals.filter((s) => s.source === "backtest").length).toBeGreaterThan(100);
    for (const s of signals) expect(s.source).toBe(s.time < windowEnd ? "backtest" : "live");
    const times = signals.map((s) => s.time);
    expect(times).toEqual([...new Set(times)].sort((a, b) => a - b));
    const ensemble = (await stack.api("GET", "/api/instruments/BTCUSDT/backtest", token)).json;
    const side = new Map(signals.map((s) => [s.time, s.signal]));
    for (const f of ensemble.fills.filter((f: any) => f.time < ensemble.to))
      expect(side.get(f.time)).toBe(f.side);
  }, 600_000);
});
