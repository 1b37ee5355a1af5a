// The same bundle and state served by wrangler's programmatic dev server (unstable_startWorker): the
// same Miniflare, workerd, D1, R2 and Durable Objects as the `wrangler dev` CLI, without the devtools
// inspector (which the CLI always attaches and which reports every subrequest, D1 queries included,
// to wrangler's Node side) and without file watching.
import { readFileSync } from "node:fs";
import { unstable_startWorker } from "wrangler";
import { type LocalWorker, prepareState, ROOT, type WorkerOptions } from "./local-worker";

const READY_PATH = "/api/health";

/** This process's process group (its workerd children share it). */
function ownProcessGroup(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
}

export async function startApiWorker(opts: WorkerOptions): Promise<LocalWorker> {
  const { file, vars, logFile } = await prepareState(opts.persistTo, opts.vars ?? {});
  const worker = await unstable_startWorker({
    config: `${ROOT}/wrangler.toml`,
    entrypoint: opts.bundle.entry,
    build: { bundle: false },
    envFiles: [file],
    assets: opts.bundle.assets,
    dev: {
      inspector: false,
      watch: false,
      persist: opts.persistTo,
      server: { hostname: "127.0.0.1", port: opts.port },
      logLevel: "error",
    },
  });
  await worker.ready;
  const base = (await worker.url).toString().replace(/\/$/, "");
  const res = await fetch(`${base}${READY_PATH}`);
  if (!res.ok) throw new Error(`the dev server answered ${res.status} on ${READY_PATH}`);
  return {
    base,
    pgid: ownProcessGroup(),
    inProcess: true,
    persistTo: opts.persistTo,
    vars,
    logFile,
    stop: () => worker.dispose(),
  };
}
