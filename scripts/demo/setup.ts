// What the demo asks its Worker for, each step skipped when the state already has it, so a second run
// only tops up the candles missed while it was stopped.
import { formatCount } from "../../core/format";
import { MODEL_TYPES } from "../../core/models/model-types";
import type { DemoClient } from "./client";
import type { DemoConfig } from "./state";

export const DEMO_DAYS = 90;
const POLL_MS = 500;
const DAY_S = 86_400;
/** Missing more than this on a second start: backfill the gap rather than wait for the cron to catch up. */
const TOP_UP_AFTER_S = 10 * 60;

type Log = (line: string) => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The demo admin (by the bootstrap token on the first run) and its token. */
export async function adminToken(api: DemoClient, config: DemoConfig): Promise<string> {
  const { email, password, name } = config.admin;
  let login = await api.call("POST", "/api/admin/auth/login", undefined, { email, password });
  if (login.status === 401) {
    const reg = await api.call(
      "POST",
      "/api/admin/auth/register",
      undefined,
      { email, password, name },
      {
        "x-bootstrap-token": config.secrets.ADMIN_BOOTSTRAP_TOKEN,
      },
    );
    if (reg.status !== 201)
      throw new Error(`creating the demo admin: ${reg.status} ${reg.json?.error?.message}`);
    login = await api.call("POST", "/api/admin/auth/login", undefined, { email, password });
  }
  if (login.status !== 200)
    throw new Error(`demo admin login: ${login.status} ${login.json?.error?.message}`);
  return login.json.access_token;
}

/** The demo user (signed up on the first run) and its token. */
export async function userToken(api: DemoClient, config: DemoConfig): Promise<string> {
  const { email, password } = config.user;
  const login = await api.call("POST", "/api/auth/login", undefined, { email, password });
  if (login.status === 200) return login.json.token;
  return (await api.ok("POST", "/api/auth/signup", undefined, { email, password })).token;
}

interface Profile {
  id: number;
  symbol: string;
}

/** A simulated instrument's profile, created (checked against the simulator by the Worker) if missing. */
export async function ensureProfile(
  api: DemoClient,
  admin: string,
  instrument: { symbol: string; name: string },
): Promise<Profile> {
  const list = await api.ok("GET", "/api/admin/profiles", admin);
  const found = list.find((p: Profile) => p.symbol === instrument.symbol);
  if (found) return found;
  return api.ok("POST", "/api/admin/profiles", admin, {
    symbol: instrument.symbol,
    name: instrument.name,
    profile_type: "crypto",
    exchange: "binance",
  });
}

async function waitJobs(api: DemoClient, admin: string, ids: number[], log: Log, what: string) {
  const shown = new Map<number, number>();
  for (;;) {
    const jobs = await Promise.all(ids.map((id) => api.ok("GET", `/api/admin/jobs/${id}`, admin)));
    const failed = jobs.find((j) => j.status === "failed" || j.status === "cancelled");
    if (failed) throw new Error(`${what} job ${failed.id} ${failed.status}: ${failed.error ?? ""}`);
    for (const j of jobs) {
      const pct = Math.floor((j.progress ?? 0) * 10) * 10;
      if (shown.get(j.id) !== pct && j.status !== "queued") {
        shown.set(j.id, pct);
        const name = [what, j.symbol, j.model_type].filter(Boolean).join(" ");
        log(`  ${name} ${pct}%${j.message ? `: ${j.message}` : ""}`);
      }
    }
    if (jobs.every((j) => j.status === "succeeded")) return;
    await sleep(POLL_MS);
  }
}

/** 90 days through the real backfill path on the first run; on later runs the gap since the last stop. */
export async function ensureCandles(api: DemoClient, admin: string, profiles: readonly Profile[], log: Log) {
  const now = Date.now() / 1000;
  const jobs: number[] = [];
  for (const profile of profiles) {
    const status = await api.ok("GET", `/api/admin/profiles/${profile.id}/data-status`, admin);
    const missing = status.last_time ? now - status.last_time : Number.POSITIVE_INFINITY;
    if (missing <= TOP_UP_AFTER_S) {
      log(`candles: ${profile.symbol} ${formatCount(status.candles)} stored, up to date`);
      continue;
    }
    const days = Math.min(DEMO_DAYS, Math.ceil(missing / DAY_S));
    log(`candles: backfilling ${days} day(s) of ${profile.symbol} 1m candles (ccxt -> Worker -> D1/R2)`);
    const queued = await api.ok("POST", "/api/admin/collect", admin, {
      symbols: [profile.symbol],
      interval: "1m",
      days,
    });
    jobs.push(queued.jobs[0].id);
  }
  if (jobs.length) await waitJobs(api, admin, jobs, log, "backfill");
}

/** Queues the model types without an active version and waits for the trainers to finish them. */
export async function ensureModels(api: DemoClient, admin: string, profiles: readonly Profile[], log: Log) {
  const jobs: number[] = [];
  for (const profile of profiles) {
    const models = await api.ok("GET", `/api/admin/models?profile_id=${profile.id}`, admin);
    const active = new Set(
      models.filter((m: { active: boolean }) => m.active).map((m: { model_type: string }) => m.model_type),
    );
    const missing = MODEL_TYPES.filter((t) => !active.has(t));
    if (missing.length === 0) {
      log(`models: ${profile.symbol} ${MODEL_TYPES.join(", ")} trained`);
      continue;
    }
    log(`models: training ${profile.symbol} ${missing.join(", ")} with the trainers (trainer/cli.ts)`);
    const queued = await api.ok("POST", "/api/admin/train-models", admin, {
      profile_ids: [profile.id],
      model_types: missing,
    });
    jobs.push(...queued.jobs.map((j: { id: number }) => j.id));
  }
  if (jobs.length) await waitJobs(api, admin, jobs, log, "train");
}
