// The real Worker on a private port: bundled once by wrangler exactly as `wrangler deploy` would, then
// served by `wrangler dev --no-bundle` over that bundle and a copy of web/dist, so that edits to
// worker/ or a web build while a bench runs neither reload the runtime (which drops requests in flight
// and restarts alarms) nor change the code under measurement. State lives in a --persist-to folder.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LOCAL_VARS, wranglerEnv } from "../../scripts/lib/local-vars.mjs";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const SECRETS = ["JWT_SECRET", "ADMIN_JWT_SECRET", "TRAINER_TOKEN", "ADMIN_BOOTSTRAP_TOKEN"] as const;
const READY_TRIES = 240;
const READY_POLL_MS = 500;

// Process groups of the wrangler dev servers still running: killed when the bench exits in any way,
// so an interrupted bench leaves no workerd behind.
const running = new Set<number>();
process.once("exit", () => {
  for (const pgid of running) {
    try {
      process.kill(-pgid, "SIGTERM");
    } catch {
      // already gone
    }
  }
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

export interface LocalWorker {
  base: string;
  /** process group of the dev server's processes (its workerd runtimes, and its Node side) */
  pgid: number;
  /** true when the dev server's Node side runs inside this process (its CPU is then not told apart) */
  inProcess: boolean;
  persistTo: string;
  /** The secrets and variables the Worker was started with. */
  vars: Record<string, string>;
  /** wrangler's own output (one line per request, warnings, errors). */
  logFile: string;
  stop(): Promise<void>;
}

function wrangler(args: string[], logFile?: string): Promise<void> {
  const out = logFile ? openSync(logFile, "a") : "ignore";
  return new Promise<void>((resolve, reject) => {
    const p = spawn("npx", ["wrangler", ...args], { cwd: ROOT, stdio: ["ignore", out, out] });
    p.on("exit", (code) => {
      if (typeof out === "number") closeSync(out);
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `wrangler ${args.slice(0, 2).join(" ")} failed (${code})${logFile ? `: see ${logFile}` : ""}`,
          ),
        );
    });
  });
}

export interface WorkerBundle {
  entry: string;
  assets: string;
}

/**
 * Bundles the Worker into `outDir` (`wrangler deploy --dry-run`) next to a snapshot of web/dist. The
 * trainer's container image is not built (--containers-rollout=none): a bench needs Docker only for it.
 */
export async function bundleWorker(outDir: string): Promise<WorkerBundle> {
  const code = path.join(outDir, "code");
  const assets = path.join(outDir, "assets");
  mkdirSync(code, { recursive: true });
  mkdirSync(assets, { recursive: true });
  await wrangler(
    ["deploy", "--dry-run", "--containers-rollout=none", "--outdir", code],
    path.join(outDir, "build.log"),
  );
  const dist = path.join(ROOT, "web/dist");
  if (existsSync(dist)) cpSync(dist, assets, { recursive: true });
  return { entry: path.join(code, "index.js"), assets };
}

/**
 * The secrets of a state folder: read from `<persistTo>/vars` when it exists (a reused state keeps
 * its secrets), otherwise fresh random ones written there. `extra` (e.g. EXCHANGE_BASE_URL) is
 * always applied on top.
 */
function varsFile(
  persistTo: string,
  extra: Record<string, string>,
): { file: string; vars: Record<string, string> } {
  const file = path.join(persistTo, "vars");
  const vars: Record<string, string> = {};
  if (existsSync(file)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const at = line.indexOf("=");
      if (at > 0) vars[line.slice(0, at)] = line.slice(at + 1);
    }
  } else {
    for (const name of SECRETS) vars[name] = randomBytes(32).toString("base64url");
  }
  Object.assign(vars, LOCAL_VARS, extra);
  writeFileSync(
    file,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${v}`)
      .join("\n"),
    { mode: 0o600 },
  );
  return { file, vars };
}

export interface WorkerOptions {
  bundle: WorkerBundle;
  port: number;
  persistTo: string;
  vars?: Record<string, string>;
  /** More `wrangler dev` flags (e.g. --test-scheduled). */
  extraArgs?: string[];
}

/** Creates the state folder when new, writes its vars file and applies the D1 migrations. */
export async function prepareState(persistTo: string, extraVars: Record<string, string>) {
  mkdirSync(persistTo, { recursive: true });
  const { file, vars } = varsFile(persistTo, extraVars);
  const logFile = path.join(persistTo, "wrangler.log");
  await wrangler(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], logFile);
  return { file, vars, logFile };
}

/** `wrangler dev` (the CLI, as `npm run dev` runs it) in its own process group. */
export async function startLocalWorker(opts: WorkerOptions): Promise<LocalWorker> {
  const { bundle, port, persistTo } = opts;
  const { file, vars, logFile } = await prepareState(persistTo, opts.vars ?? {});
  const out = openSync(logFile, "a");
  const args = ["dev", bundle.entry, "--no-bundle", "-c", "wrangler.toml", "--assets", bundle.assets];
  args.push("--ip", "127.0.0.1", "--port", String(port), "--env-file", file, "--persist-to", persistTo);
  args.push(
    "--show-interactive-dev-session=false",
    ...(opts.extraArgs ?? []),
    ...(process.env.BENCH_WRANGLER_DEBUG ? ["--log-level", "debug"] : []),
  );
  const dev: ChildProcess = spawn("npx", ["wrangler", ...args], {
    cwd: ROOT,
    env: wranglerEnv(),
    stdio: ["ignore", out, out],
    detached: true,
  });
  closeSync(out);
  if (dev.pid !== undefined) running.add(dev.pid);
  let exited = false;
  dev.on("exit", (code, signal) => {
    exited = true;
    if (dev.pid !== undefined) running.delete(dev.pid);
    if (!stopping)
      console.error(`wrangler dev (${persistTo}) exited by itself: code ${code}, signal ${signal}`);
  });
  let stopping = false;
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited || dev.pid === undefined) return;
    stopping = true;
    const gone = new Promise<void>((resolve) => dev.once("exit", () => resolve()));
    process.kill(-dev.pid, "SIGTERM");
    await Promise.race([gone, new Promise((r) => setTimeout(r, 5_000))]);
    if (!exited) process.kill(-dev.pid, "SIGKILL");
  };
  for (let i = 0; i < READY_TRIES && !exited; i++) {
    const ok = await fetch(`${base}/api/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return { base, pgid: dev.pid as number, inProcess: false, persistTo, vars, logFile, stop };
    await new Promise((r) => setTimeout(r, READY_POLL_MS));
  }
  await stop();
  throw new Error(`wrangler dev did not answer on ${base}: see ${logFile}`);
}

/** A TCP port free right now on 127.0.0.1 (other helpers' benches may hold the usual ones). */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
