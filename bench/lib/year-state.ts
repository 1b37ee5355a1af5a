// A state folder holding a year of BTCUSDT 1m candles, backfilled once through the public admin API
// from the replay exchange and reused by later runs (its bench-year.json says how it was made).
//
// The year is backfilled as one job by wrangler's dev engine without the devtools inspector (the
// state is the same for both servers). Under the `wrangler dev` CLI the inspector keeps ~55 sockets
// from workerd to wrangler's Node side open per day a BackfillRunner stores, until the runner's chain
// of alarms ends: one 366-day job reaches the 20,000 open files this machine allows (ulimit -n) near
// day 360 and the local runtime then fails with "Too many open files".
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type AdminApi, adminLogin } from "./admin-api";
import { type BackfillProfile, profileBackfill, timeBackfill } from "./backfill-run";
import { type ServerKind, startDevServer } from "./dev-server";
import { freePort, type LocalWorker, type WorkerBundle } from "./local-worker";
import { startBtcReplay } from "./replay";

export const YEAR_SYMBOL = "BTCUSDT";
const POLL_MS = 250;
const BACKFILL_TIMEOUT_MS = 20 * 60_000;

export interface YearMeta {
  days: number;
  backfillSeconds: number;
  connectionErrors: number;
  profile: BackfillProfile;
  candles: number;
  gaps: number;
  createdAt: string;
}

export interface YearState {
  worker: LocalWorker;
  api: AdminApi;
  profileId: number;
  meta: YearMeta;
  /** true when this run did the backfill */
  fresh: boolean;
}

export async function openYearState(opts: {
  bundle: WorkerBundle;
  persistTo: string;
  days: number;
  fresh: boolean;
  /** the server the measurements use (the backfill always runs on "api", see above) */
  server: ServerKind;
}): Promise<YearState> {
  const metaFile = path.join(opts.persistTo, "bench-year.json");
  if (opts.fresh || !existsSync(metaFile)) rmSync(opts.persistTo, { recursive: true, force: true });
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, "utf8")) as YearMeta;
    const worker = await startDevServer(opts.server, {
      bundle: opts.bundle,
      port: await freePort(),
      persistTo: opts.persistTo,
      vars: { EXCHANGE_BASE_URL: "" },
    });
    const api = await adminLogin(worker.base, worker.vars.ADMIN_BOOTSTRAP_TOKEN);
    return { worker, api, profileId: await api.profileId(YEAR_SYMBOL), meta, fresh: false };
  }
  const replay = await startBtcReplay();
  try {
    const worker = await startDevServer("api", {
      bundle: opts.bundle,
      port: await freePort(),
      persistTo: opts.persistTo,
      vars: { EXCHANGE_BASE_URL: replay.server.url },
    });
    const api = await adminLogin(worker.base, worker.vars.ADMIN_BOOTSTRAP_TOKEN);
    const profileId = await api.profileId(YEAR_SYMBOL);
    console.log(`backfilling ${opts.days} days of ${YEAR_SYMBOL} into ${opts.persistTo} ...`);
    const run = await timeBackfill(api, replay, YEAR_SYMBOL, opts.days, {
      pollMs: POLL_MS,
      timeoutMs: BACKFILL_TIMEOUT_MS,
    });
    if (run.job.status !== "succeeded") {
      await worker.stop();
      throw new Error(`the year backfill ended ${run.job.status}: ${run.job.error}`);
    }
    const meta: YearMeta = {
      days: opts.days,
      backfillSeconds: run.wallMs / 1000,
      connectionErrors: run.connectionErrors,
      profile: profileBackfill(run),
      candles: run.status.candles,
      gaps: run.status.gaps.length,
      createdAt: new Date().toISOString(),
    };
    writeFileSync(metaFile, JSON.stringify(meta, null, 2));
    if (opts.server === "api") return { worker, api, profileId, meta, fresh: true };
    await worker.stop();
  } finally {
    await replay.server.close();
  }
  return openYearState({ ...opts, fresh: false });
}
