// Starts the real app locally for end-to-end tests: the replay exchange in-process, and the Worker under
// `wrangler dev` with fresh random secrets and its own state folder, both on free ports.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { LOCAL_VARS, wranglerEnv } from "../../scripts/lib/local-vars.mjs";
import { type ReplayServer, startReplayServer } from "../../scripts/replay/server";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface LocalStack {
  url: string;
  replay: ReplayServer;
  secrets: Record<string, string>;
  state: string;
  admin(): Promise<string>;
  api(method: string, p: string, token?: string, body?: unknown): Promise<{ status: number; json: any }>;
  /** Kills the Worker's whole process tree (wrangler and workerd) with SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Starts the Worker again on the same state and port. */
  restart(): Promise<void>;
  /** Runs the scheduled handler once, as the Cron Trigger does (needs `scheduled: true`). */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export interface StackOptions {
  files: string[];
  nowAt: string;
  /** More vars for the Worker (over wrangler.toml's and the local ones). */
  vars?: Record<string, string>;
  /** Serve `/__scheduled` so that `tick()` can run the cron. */
  scheduled?: boolean;
}

/** A port nobody listens on now, on the loopback address. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

// On a loaded machine (two test files at once beside Chromium, CI's 2 cores) bundling and workerd's start
// have taken more than 60 s; 180 s is well past that and still fails a Worker that cannot start.
const START_MS = 180_000;
/** The timeout for a `beforeAll` that starts a stack: its start, the migrations and the replay server. */
export const STACK_HOOK_MS = START_MS + 60_000;

export async function startLocalStack(opts: StackOptions): Promise<LocalStack> {
  const replay = await startReplayServer({ files: opts.files, port: 0, nowAt: opts.nowAt, log: () => {} });
  const state = mkdtempSync(path.join(tmpdir(), "mm-stack-"));
  const secrets = Object.fromEntries(
    ["JWT_SECRET", "ADMIN_JWT_SECRET", "TRAINER_TOKEN", "ADMIN_BOOTSTRAP_TOKEN"].map((n) => [
      n,
      randomBytes(32).toString("base64url"),
    ]),
  );
  const vars = path.join(state, "vars");
  writeFileSync(
    vars,
    `${Object.entries({ ...secrets, ...LOCAL_VARS, EXCHANGE_BASE_URL: replay.url, ...opts.vars })
      .map(([k, v]) => `${k}=${v}`)
      .join("\n")}\n`,
  );
  const migrate = spawnSync(
    "npx",
    ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state],
    { cwd: ROOT, encoding: "utf8" },
  );
  if (migrate.status !== 0) throw new Error(`migrations failed: ${migrate.stderr}`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = path.join(state, "wrangler.log");
  const args = ["wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1", "--env-file", vars];
  args.push("--persist-to", state, "--show-interactive-dev-session=false");
  if (opts.scheduled) args.push("--test-scheduled");
  let dev!: ChildProcess;
  const start = async () => {
    const out = openSync(log, "a");
    dev = spawn("npx", args, { cwd: ROOT, env: wranglerEnv(), stdio: ["ignore", out, out], detached: true });
    closeSync(out);
    const until = Date.now() + START_MS;
    for (;;) {
      if (
        await fetch(`${url}/api/health`)
          .then((r) => r.status < 500)
          .catch(() => false)
      )
        return;
      if (Date.now() > until) throw new Error(`wrangler dev did not start in ${START_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  await start();
  const api = async (method: string, p: string, token?: string, body?: unknown) => {
    const init = {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { "content-type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    };
    // wrangler dev reloads when a source file changes; a request caught in a reload is tried again.
    const res = await fetch(`${url}${p}`, init).catch(async () => {
      await new Promise((r) => setTimeout(r, 2000));
      return fetch(`${url}${p}`, init);
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
  let adminToken: string | null = null;
  return {
    url,
    replay,
    secrets,
    state,
    api,
    async admin() {
      if (adminToken) return adminToken;
      const body = { email: "e2e-admin@example.com", password: "e2e admin password", name: "E2E" };
      const reg = await fetch(`${url}/api/admin/auth/register`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-bootstrap-token": secrets.ADMIN_BOOTSTRAP_TOKEN },
        body: JSON.stringify(body),
      });
      if (reg.status !== 201) throw new Error(`bootstrap failed: ${reg.status}`);
      adminToken = (
        await api("POST", "/api/admin/auth/login", undefined, { email: body.email, password: body.password })
      ).json.access_token;
      return adminToken!;
    },
    async kill() {
      const exited = new Promise((r) => dev.once("exit", r));
      process.kill(-dev.pid!, "SIGKILL");
      await exited;
    },
    restart: start,
    async tick() {
      const res = await fetch(`${url}/__scheduled?cron=*+*+*+*+*`);
      await res.text();
      if (!res.ok) throw new Error(`the scheduled handler answered ${res.status}`);
    },
    async stop() {
      try {
        process.kill(-dev.pid!, "SIGTERM");
      } catch {}
      await replay.close();
      if (!process.env.KEEP_STACK) rmSync(state, { recursive: true, force: true });
    },
  };
}
