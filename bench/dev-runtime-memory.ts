// `npx tsx bench/dev-runtime-memory.ts [--rounds 6] [--requests 10000] [--concurrency 10] [--body-kb 20]
// [--rate 0]`:
// how much resident memory `wrangler dev` itself keeps per request, with none of this project's code.
// It writes a six-line Worker that answers every request with the same JSON body, starts it under the
// project's wrangler (local trace store off, as the demo runs), sends the rounds of requests, and after
// each round prints the resident and anonymous memory of workerd's two processes: wrangler's proxy
// runtime (the port clients use) and the Worker's runtime. The soak (bench/soak.ts) reads its own
// Worker's isolate heap; this is the baseline for the process figures around it.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { wranglerEnv } from "../scripts/lib/local-vars.mjs";
import { freePort, ROOT } from "./lib/local-worker";
import { type ProcessMemory, wranglerDevMemory } from "./lib/proc-cpu";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "6" },
    requests: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "10" },
    "body-kb": { type: "string", default: "20" },
    // requests a second over all clients (0: as fast as they go); the soak's dashboards send ~1.5
    rate: { type: "string", default: "0" },
  },
});
const ROUNDS = Number(args.rounds);
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const BODY_BYTES = Number(args["body-kb"]) * 1000;
const RATE = Number(args.rate);
const MB = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), "mm-dev-baseline-"));
  writeFileSync(
    path.join(dir, "worker.js"),
    `const body = JSON.stringify({ data: "x".repeat(${BODY_BYTES}) });
export default {
  fetch() {
    return new Response(body, { headers: { "content-type": "application/json" } });
  },
};
`,
  );
  writeFileSync(
    path.join(dir, "wrangler.toml"),
    'name = "baseline"\nmain = "worker.js"\ncompatibility_date = "2025-01-01"\n',
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const dev: ChildProcess = spawn(
    process.execPath, // the project's Node 22 under `npx tsx`
    [
      path.join(ROOT, "node_modules/wrangler/bin/wrangler.js"),
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--show-interactive-dev-session=false",
    ],
    { cwd: dir, env: wranglerEnv(), stdio: "ignore", detached: true },
  );
  const stop = () => {
    try {
      process.kill(-dev.pid!, "SIGTERM");
    } catch {
      // already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (
      let i = 0;
      !(await fetch(url).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    ) {
      if (i > 240) throw new Error("wrangler dev did not start in 120 s");
      await sleep(500);
    }
    const memory = () => {
      const { proxy, worker } = wranglerDevMemory(dev.pid!, port).processes;
      const fmt = (p: ProcessMemory) =>
        `${(p.rss / MB).toFixed(0).padStart(5)} / ${(p.anon / MB).toFixed(0).padStart(5)}`;
      return `${fmt(proxy)}   ${fmt(worker)}`;
    };
    console.log(
      `wrangler dev, a Worker answering ${BODY_BYTES / 1000} KB of JSON; ${CONCURRENCY} requests at a time`,
    );
    console.log("requests   seconds   proxy RSS / anon MB   Worker runtime RSS / anon MB");
    console.log(`${"0".padStart(8)}   ${"-".padStart(7)}   ${memory()}`);
    for (let round = 1; round <= ROUNDS; round++) {
      const started = Date.now();
      let sent = 0;
      const client = async () => {
        while (sent < REQUESTS) {
          const n = sent++;
          if (RATE > 0) await sleep(Math.max(0, started + (n / RATE) * 1000 - Date.now()));
          const res = await fetch(url);
          if (!res.ok) throw new Error(`answer ${res.status}`);
          await res.arrayBuffer();
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, client));
      const seconds = (Date.now() - started) / 1000;
      await sleep(3000);
      console.log(
        `${String(round * REQUESTS).padStart(8)}   ${seconds.toFixed(1).padStart(7)}   ${memory()}`,
      );
    }
  } finally {
    stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
