// `npm run trainer [-- --once] [--worker-id ID] [--idle-exit SECONDS]`: claims training jobs from
// WORKER_URL with TRAINER_TOKEN (or a fleet container's TRAINER_ACCESS_TOKEN), trains, uploads and
// completes them. Several may run at once against one Worker; one killed at any moment loses only its
// current attempt (the lease expires and another trainer retries). SIGTERM (a container being stopped)
// claims nothing more, gives the current job back at once and exits 0; SIGINT finishes the job first.
import { hostname } from "node:os";
import { parseArgs } from "node:util";
import { formatCount, formatMoney, formatPct } from "../core/format";
import { isModelType } from "../core/models/model-types";
import type { Claimed } from "../worker/contract";
import { type Credential, TrainerClient, WorkerApiError } from "./client";
import { trainModel } from "./pipeline";

// A year of hourly candles, plus room: the models train on at most this many periods.
const CANDLE_LIMIT = 24 * 366;
const IDLE_POLL_MS = 5_000;
const HEARTBEAT_MS = 30_000;
const MIN_REPORT_GAP_MS = 2_000;

class Cancelled extends Error {}

const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);

async function runJob(client: TrainerClient, claimed: Claimed) {
  const { job, profile } = claimed;
  const tag = `job ${job.id} ${profile.symbol} ${job.model_type} (attempt ${job.attempts})`;
  if (!isModelType(job.model_type)) return client.fail(job.id, `unknown model type ${job.model_type}`);
  let last = { fraction: 0, message: "starting", at: 0 };
  let cancelled = false;
  const report = async (fraction: number, message: string, force = false) => {
    last = { fraction, message, at: last.at };
    if (!force && Date.now() - last.at < MIN_REPORT_GAP_MS) return;
    last.at = Date.now();
    const status = await client.progress(job.id, fraction, message);
    log(`${tag}: ${(fraction * 100).toFixed(0)}% ${message}`);
    if (status === "cancelled") {
      cancelled = true;
      throw new Cancelled();
    }
  };
  // Keeps the lease alive through long steps that report nothing (an ARIMA grid, a slow epoch): four
  // beats a lease, at most one every HEARTBEAT_MS.
  const beat = Math.min(HEARTBEAT_MS, (claimed.lease_seconds * 1000) / 4);
  const heartbeat = setInterval(() => {
    report(last.fraction, last.message, true).catch(() => {});
  }, beat);
  try {
    await report(0.01, "reading candles", true);
    const candles = await client.candles(job.id, "1h", CANDLE_LIMIT);
    log(`${tag}: ${candles.length} hourly candles`);
    const trained = await trainModel(job.model_type, candles, (f, m) => report(f, m));
    if (cancelled) throw new Cancelled();
    const m = trained.metrics;
    // The Worker compares models by skill; a flat test window (naive MAE 0) has none to report.
    if (m.skill === null)
      throw new Error("no skill on a flat test window (naive MAE is 0); collect more data");
    await report(0.95, `uploading ${formatCount(trained.artifact.byteLength)} bytes`, true);
    await client.upload(job.id, trained.artifact, trained.sha256);
    const { model } = await client.complete(job.id, {
      artifact_sha256: trained.sha256,
      trained_on: trained.trained_on,
      parameters: trained.parameters,
      metrics: { ...m, skill: m.skill },
      evaluation: trained.evaluation,
    });
    log(
      `${tag}: done, ${job.model_type} v${model.version} active (MAE ${formatMoney(m.mae)}, naive ${formatMoney(m.naive_mae)}, skill ${formatPct(m.skill)})`,
    );
  } catch (err) {
    if (err instanceof Cancelled) log(`${tag}: cancelled by an admin, stopping`);
    else if (err instanceof WorkerApiError && err.code === "lease_lost")
      log(`${tag}: lease lost, another trainer has it`);
    else {
      const message = err instanceof Error ? err.message : String(err);
      log(`${tag}: failed: ${message}`);
      await client
        .fail(job.id, message)
        .catch((e) => log(`${tag}: could not report the failure: ${e.message}`));
    }
  } finally {
    clearInterval(heartbeat);
  }
}

/** The job being trained, so a SIGTERM can give it back. */
let current: number | null = null;

/** SIGTERM: claim nothing more, release the current job at once (another trainer retries it now), exit 0. */
function onTerminate(client: TrainerClient) {
  let terminating = false;
  process.on("SIGTERM", () => {
    if (terminating) return;
    terminating = true;
    const job = current;
    log(`SIGTERM: claiming nothing more${job === null ? "" : `, releasing job ${job}`}`);
    const released =
      job === null
        ? Promise.resolve()
        : client
            .release(job)
            .then(() => log(`job ${job} released: another trainer may take it now`))
            .catch((e: Error) => log(`job ${job} not released (${e.message}): its lease will expire`));
    void released.then(() => process.exit(0));
  });
}

function credential(): Credential {
  const access = process.env.TRAINER_ACCESS_TOKEN;
  return access ? { accessToken: access } : { secret: process.env.TRAINER_TOKEN ?? "" };
}

async function main() {
  const { values } = parseArgs({
    options: {
      once: { type: "boolean", default: false },
      "worker-id": { type: "string" },
      "idle-exit": { type: "string", default: process.env.TRAINER_IDLE_EXIT },
    },
  });
  const url = (process.env.WORKER_URL ?? "http://localhost:8787").replace(/\/+$/, "");
  const client = new TrainerClient(url, credential(), values["worker-id"] ?? `${hostname()}-${process.pid}`);
  const idleExitMs = values["idle-exit"] === undefined ? null : Number(values["idle-exit"]) * 1000;
  let stopping = false;
  process.on("SIGINT", () => {
    log("stopping after the current job (Ctrl-C again to quit now)");
    if (stopping) process.exit(130);
    stopping = true;
  });
  onTerminate(client);
  const idle = idleExitMs === null ? "" : `, exiting after ${idleExitMs / 1000} s without work`;
  log(`trainer ${client.workerId} polling ${url}${values.once ? " until the queue is empty" : idle}`);
  let idleSince = Date.now();
  while (!stopping) {
    let claimed: Claimed | null;
    try {
      claimed = await client.claim();
    } catch (err) {
      log(`claim failed: ${(err as Error).message}`);
      // A fleet instance whose token the fleet no longer renews is done.
      if (err instanceof WorkerApiError && err.status === 401 && "accessToken" in credential()) {
        process.exitCode = 1;
        return;
      }
      if (values.once) process.exitCode = 1;
      if (values.once) return;
      await new Promise((r) => setTimeout(r, IDLE_POLL_MS));
      continue;
    }
    if (!claimed) {
      if (values.once) return log("queue empty, exiting");
      if (idleExitMs !== null && Date.now() - idleSince >= idleExitMs)
        return log(`no job for ${idleExitMs / 1000} s, exiting`);
      await new Promise((r) => setTimeout(r, IDLE_POLL_MS));
      continue;
    }
    current = claimed.job.id;
    await runJob(client, claimed);
    current = null;
    idleSince = Date.now();
  }
}

await main();
