// `npm run demo`: the whole product offline on a generated market. Starts the exchange simulator, the
// Worker (wrangler dev on the demo's own state folder) with a once-a-minute cron tick, and trainers;
// creates the demo admin and user, the two simulated controls (SIMUSDT: nothing to predict; SIMARUSDT:
// a known weak edge), backfills 90 days of each and trains the four models of each through the real
// paths; then prints where to look. Ctrl-C stops everything it started. A second run
// reuses the state and only tops up what is missing.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DemoClient } from "./demo/client";
import { readyMessage } from "./demo/ready";
import { adminToken, ensureCandles, ensureModels, ensureProfile, userToken } from "./demo/setup";
import { demoPaths, loadOrCreateConfig, writeVars } from "./demo/state";
import { wranglerEnv } from "./lib/local-vars.mjs";
import { cronTicker, supervise } from "./lib/supervise.mjs";
import { SIM_INSTRUMENTS } from "./sim/params";
import { startSimServer } from "./sim/server";

const DEMO_TRAINERS = Number(process.env.DEMO_TRAINERS ?? 2);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const log = (line: string) => console.log(`demo [${elapsed()}] ${line}`);
const stops: (() => void | Promise<void>)[] = [];

/** Runs a command to the end without blocking the event loop (the simulator keeps answering). */
function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} failed:\n${out}`)),
    );
  });
}

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds web/dist unless it is newer than every source file of the web app. */
async function buildWeb() {
  const index = path.join(ROOT, "web/dist/index.html");
  const fresh =
    existsSync(index) &&
    statSync(index).mtimeMs > Math.max(newest(path.join(ROOT, "web/src")), newest(path.join(ROOT, "core")));
  if (fresh) return log("web app: built already");
  log("web app: building");
  await run("npm", ["run", "build"]);
  log("web app: built");
}

/** Applies D1 migrations locally unless this state already has exactly the migrations in the repo. */
async function applyMigrations(state: string, marker: string) {
  const list = readdirSync(path.join(ROOT, "migrations"))
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .join("\n");
  if (existsSync(marker) && readFileSync(marker, "utf8") === list) return log("database: migrations current");
  await run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
  writeFileSync(marker, list);
  log("database: migrations applied");
}

async function stopAll(code: number) {
  for (const stop of stops.reverse()) await stop();
  process.exit(code);
}

async function main() {
  const port = Number(process.env.PORT ?? 8787);
  const paths = demoPaths(ROOT);
  const { config, fresh } = loadOrCreateConfig(paths);
  log(`${fresh ? "new" : "reusing"} demo state in ${path.relative(ROOT, paths.dir) || paths.dir}`);

  const sim = await startSimServer({ port: Number(process.env.SIM_PORT ?? 0) });
  stops.push(() => sim.close());
  const symbols = SIM_INSTRUMENTS.map((i) => i.symbol);
  log(`exchange simulator: ${symbols.join(", ")} on ${sim.url} (Binance spot API)`);
  writeVars(paths, config, sim.url, symbols.join(","));

  await Promise.all([buildWeb(), applyMigrations(paths.state, path.join(paths.dir, "migrations.applied"))]);

  const url = `http://127.0.0.1:${port}`;
  // Another server on the port (say `npm run dev`) would answer our health checks with someone else's data.
  if (
    await fetch(url).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`port ${port} is already in use (npm run dev?); pick another: PORT=8790 npm run demo`);
  const wrangler = supervise(
    "worker",
    "npx",
    [
      "wrangler",
      "dev",
      "--port",
      String(port),
      "--ip",
      "127.0.0.1",
      "--env-file",
      paths.vars,
      "--persist-to",
      paths.state,
      "--test-scheduled",
      "--show-interactive-dev-session=false",
      // The devtools inspector's port (bench/soak.ts reads the isolate's heap there); wrangler's default else.
      ...(process.env.DEMO_INSPECTOR_PORT ? ["--inspector-port", process.env.DEMO_INSPECTOR_PORT] : []),
    ],
    { cwd: ROOT, env: wranglerEnv(), log: paths.wranglerLog, onLine: log },
  );
  stops.push(() => wrangler.stop());
  const api = new DemoClient(url);
  await api.waitHealthy(120_000);
  log(`worker: up on ${url} (log: ${path.relative(ROOT, paths.wranglerLog)})`);
  stops.push(cronTicker(url));

  // Two trainers: the four models train two at a time (the networks dominate; one each).
  for (let n = 1; n <= DEMO_TRAINERS; n++) {
    const trainer = supervise(
      `trainer ${n}`,
      "npx",
      ["tsx", "trainer/cli.ts", "--worker-id", `demo-trainer-${n}`],
      {
        cwd: ROOT,
        env: { ...process.env, WORKER_URL: url, TRAINER_TOKEN: config.secrets.TRAINER_TOKEN },
        log: paths.trainerLog,
        onLine: log,
      },
    );
    stops.push(() => trainer.stop());
  }

  const admin = await adminToken(api, config);
  const user = await userToken(api, config);
  const profiles = [];
  for (const instrument of SIM_INSTRUMENTS) profiles.push(await ensureProfile(api, admin, instrument));
  await ensureCandles(api, admin, profiles, log);
  await ensureModels(api, admin, profiles, log);
  const instruments = await api.ok("GET", "/api/instruments", user);
  const host = `http://localhost:${port}`;
  console.log(
    readyMessage({
      elapsed: elapsed(),
      host,
      instruments,
      user: config.user,
      admin: config.admin,
      logs: path.relative(ROOT, paths.dir),
    }),
  );
  console.log(
    `demo: ready ${JSON.stringify({ url: host, user: config.user, admin: config.admin, seconds: (performance.now() - started) / 1000 })}`,
  );
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    log("stopping");
    void stopAll(0);
  });
}
main().catch((e: Error) => {
  console.error(`demo: ${e.message}`);
  void stopAll(1);
});
