// GET /api/instruments/:symbol/predictions with four trained models (arima, garch, gru_attention,
// cnn_pattern), warm and cold, on the `wrangler dev` CLI (as `npm run dev`) or its engine without the
// inspector. The models are made once, the real way, into .tmp/bench-predict-state: the committed
// real BTCUSDT weeks (test/fixtures/real) replayed, backfilled through the admin API (20 days) and
// trained by the trainer CLI (as test/node/e2e-train.test.ts does), then reused (--fresh remakes them).
// Cold: the first request after the dev server starts, with the Cache API emptied (artifacts read
// from R2 and decoded, history read, four forecasts) and with it kept (this minute's forecasts made
// by an earlier isolate); warm: 25 sequential requests after it. Targets: warm <= 10, cold <= 300 ms.
// Warm requests are timed by each client of bench/lib/http-get.ts in turn (node:http keep-alive, and
// Node's fetch(), which adds ~3 ms of its own); the cold ones by the node:http client.
// Run: npx tsx bench/predict-latency.ts [--runs 3] [--server cli|api] [--fresh] [--client http|fetch|both]
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startReplayServer } from "../scripts/replay/server";
import { realKlineFile } from "../test/helpers/real-data";
import type { PredictionsAnswer } from "../worker/contract";
import { adminLogin, waitForJob } from "./lib/admin-api";
import { parseServers, SERVER_LABEL, type ServerKind, startDevServer } from "./lib/dev-server";
import { CLIENT_LABEL, type HttpClient, httpGet, parseClients } from "./lib/http-get";
import { bundleWorker, freePort, ROOT, type WorkerBundle } from "./lib/local-worker";
import { median } from "./lib/stats";
import { signIn } from "./lib/user-api";

const STATE = path.join(ROOT, ".tmp", "bench-predict-state");
const DONE = path.join(STATE, "bench-predict.json");
const SYMBOL = "BTCUSDT";
const DAYS = 20;
const WARM = 25;
const MODEL_TYPES = ["arima", "cnn_pattern", "garch", "gru_attention"];

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    server: { type: "string", default: "cli" },
    fresh: { type: "boolean", default: false },
    client: { type: "string", default: "both" },
  },
});

async function makeModels(bundle: WorkerBundle) {
  rmSync(STATE, { recursive: true, force: true });
  const replay = await startReplayServer({
    files: [realKlineFile(SYMBOL)],
    port: 0,
    nowAt: "2024-03-10T23:59:00Z",
    log: () => {},
  });
  const worker = await startDevServer("api", {
    bundle,
    port: await freePort(),
    persistTo: STATE,
    vars: { EXCHANGE_BASE_URL: replay.url },
  });
  try {
    const api = await adminLogin(worker.base, worker.vars.ADMIN_BOOTSTRAP_TOKEN);
    const profileId = await api.profileId(SYMBOL);
    const { job } = await waitForJob(api, await api.collect(SYMBOL, DAYS), 250, 600_000);
    if (job.status !== "succeeded") throw new Error(`backfill ${job.status}: ${job.error}`);
    await api.post("/api/admin/train-models", { profile_ids: [profileId] });
    console.log(`training the four models on ${DAYS} days of real ${SYMBOL} (trainer CLI) ...`);
    const t0 = performance.now();
    const run = spawnSync("npx", ["tsx", "trainer/cli.ts", "--once", "--worker-id", "bench"], {
      cwd: ROOT,
      env: { ...process.env, WORKER_URL: worker.base, TRAINER_TOKEN: worker.vars.TRAINER_TOKEN },
      encoding: "utf8",
      timeout: 900_000,
    });
    if (run.status !== 0) throw new Error(`trainer failed: ${run.stdout}${run.stderr}`);
    console.log(`trained in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    writeFileSync(DONE, JSON.stringify({ symbol: SYMBOL, days: DAYS, createdAt: new Date().toISOString() }));
  } finally {
    await worker.stop();
    await replay.close();
  }
}

const CLIENTS = parseClients(values.client);
const RUN_ID = randomUUID().slice(0, 8);
let sessions = 0;

/** A fresh dev server: the first request's time, then the median of `warm` more. */
async function session(bundle: WorkerBundle, server: ServerKind, warm: number) {
  const worker = await startDevServer(server, { bundle, port: await freePort(), persistTo: STATE });
  try {
    // Three accounts in turn (heavy routes allow 60 requests a minute per account; sign-ups 5 a
    // minute per address): each is signed up once, then logged in.
    const account = {
      email: `predict-${RUN_ID}-${sessions++ % 3}@example.com`,
      password: "predict bench pass 1",
    };
    const { token } = await signIn(worker.base, account);
    const url = `${worker.base}/api/instruments/${SYMBOL}/predictions`;
    const once = async (client: HttpClient) => {
      const res = await httpGet(client, url, { authorization: `Bearer ${token}` });
      if (res.status !== 200) throw new Error(`predictions: ${res.status} ${res.text}`);
      const body = JSON.parse(res.text) as PredictionsAnswer;
      const types = body.models.map((m) => m.model_type).sort();
      if (types.join() !== MODEL_TYPES.join()) throw new Error(`models: ${types.join()}`);
      return res.ms;
    };
    const cold = await once("http");
    const warms = new Map<HttpClient, number>();
    for (const client of CLIENTS) {
      const ms: number[] = [];
      for (let i = 0; i < warm; i++) ms.push(await once(client));
      warms.set(client, median(ms));
    }
    return { cold, warm: warms };
  } finally {
    await worker.stop();
  }
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "mm-bench-predict-"));
  try {
    const bundle = await bundleWorker(path.join(dir, "bundle"));
    if (values.fresh || !existsSync(DONE)) await makeModels(bundle);
    for (const server of parseServers(values.server)) {
      const computed: number[] = [];
      const fromCache: number[] = [];
      const warms = new Map<HttpClient, number[]>(CLIENTS.map((c) => [c, []]));
      const loads: number[] = [];
      for (let r = 0; r < Number(values.runs); r++) {
        loads.push(loadavg()[0]);
        // A fresh dev server with the Cache API emptied: the first request loads and runs every model.
        rmSync(path.join(STATE, "v3", "cache"), { recursive: true, force: true });
        computed.push((await session(bundle, server, 0)).cold);
        // A fresh dev server again (a new isolate): the first request finds this minute's forecasts in
        // the Cache API; then the warm ones.
        const s = await session(bundle, server, WARM);
        fromCache.push(s.cold);
        for (const [client, ms] of s.warm) warms.get(client)?.push(ms);
      }
      const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(", ");
      console.log(
        `${SERVER_LABEL[server]}, four models, ${values.runs} runs, load average ${loads.map((l) => l.toFixed(1)).join(", ")}`,
      );
      console.log(
        `cold, models loaded and run (new isolate, empty cache): ${list(computed)} ms, median ${median(computed).toFixed(0)} (target <= 300: ${median(computed) <= 300 ? "met" : "MISSED"})`,
      );
      console.log(
        `cold, forecasts from the Cache API (new isolate): ${list(fromCache)} ms, median ${median(fromCache).toFixed(0)}`,
      );
      for (const [client, ms] of warms)
        console.log(
          `warm, ${CLIENT_LABEL[client]} (median of ${WARM} sequential, per run): ${ms.map((x) => x.toFixed(1)).join(", ")} ms, median ${median(ms).toFixed(1)} (target <= 10: ${median(ms) <= 10 ? "met" : "MISSED"})`,
        );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
