// `npm run dev`: secrets, web build, local migrations, then wrangler dev with a once-a-minute cron tick
// and a local trainer (restarted if it dies; TRAINER=off leaves it out, TRAINER=container runs the
// trainer's container image with Docker instead: wrangler dev cannot run [[containers]] offline).
import { spawn, spawnSync } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LOCAL_VARS } from "./lib/local-vars.mjs";
import { cronTicker, supervise } from "./lib/supervise.mjs";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.PORT ?? "8787";

function run(cmd, args) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit", shell: false });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

/** A VAPID key pair (RFC 8292) for Web Push: the raw public point and the private scalar, base64url. */
function vapidPair() {
  const jwk = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ format: "jwk" });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x, "base64url"),
    Buffer.from(jwk.y, "base64url"),
  ]);
  return { VAPID_PUBLIC_KEY: point.toString("base64url"), VAPID_PRIVATE_KEY: jwk.d };
}

/** Writes .dev.vars with a fresh random value for every secret listed in .dev.vars.example. */
function ensureDevVars() {
  const file = path.join(root, ".dev.vars");
  if (existsSync(file)) return;
  const lines = readFileSync(path.join(root, ".dev.vars.example"), "utf8").split("\n");
  const vapid = vapidPair();
  const out = lines
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => {
      const name = l.split("=")[0];
      if (name in vapid) return `${name}=${vapid[name]}`;
      const secret = /SECRET|TOKEN/.test(name);
      const plain = process.env[name] ?? LOCAL_VARS[name] ?? "";
      return `${name}=${secret ? randomBytes(32).toString("base64url") : plain}`;
    });
  writeFileSync(file, `${out.join("\n")}\n`, { mode: 0o600 });
  console.log("dev: wrote .dev.vars with fresh random secrets (ADMIN_BOOTSTRAP_TOKEN is in there)");
}

ensureDevVars();
run("npm", ["run", "build"]);
run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]);

const dev = spawn(
  "npx",
  [
    "wrangler",
    "dev",
    "--port",
    port,
    "--test-scheduled",
    "--show-interactive-dev-session=false",
    // Over .dev.vars too: one written before a local var existed lacks it.
    ...Object.entries(LOCAL_VARS).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ],
  // Its own process group, so stopping dev stops wrangler and workerd too (npx alone would not pass the signal on).
  { cwd: root, stdio: ["ignore", "inherit", "inherit"], detached: true },
);

// wrangler dev never fires Cron Triggers by itself; tick the scheduled handler like production does.
const stopTick = cronTicker(`http://localhost:${port}`);

/** The TRAINER_TOKEN the Worker was started with: .dev.vars is KEY=value lines. */
function devVar(name) {
  const line = readFileSync(path.join(root, ".dev.vars"), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}=`));
  return line?.slice(name.length + 1).trim() ?? "";
}

/** Resolves once the Worker answers (the trainer would only log failed claims before that). */
async function workerUp() {
  for (;;) {
    const up = await fetch(`http://localhost:${port}/api/health`)
      .then((r) => r.status < 500)
      .catch(() => false);
    if (up) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

// A local trainer, so training queued from the admin panel runs without a second terminal.
let trainer = null;
const stopAll = () => {
  stopTick();
  trainer?.stop();
};
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopAll();
    try {
      process.kill(-dev.pid, signal);
    } catch {
      // already gone
    }
  });
}
dev.on("exit", (code) => {
  stopAll();
  process.exit(code ?? 0);
});

/** The trainer: the CLI under tsx, or (TRAINER=container) the container image the fleet deploys. */
function trainerCommand() {
  const env = { WORKER_URL: `http://localhost:${port}`, TRAINER_TOKEN: devVar("TRAINER_TOKEN") };
  if (process.env.TRAINER !== "container")
    return ["npx", ["tsx", "trainer/cli.ts", "--worker-id", "dev-trainer"], env];
  run("npm", ["run", "trainer:image"]);
  // The host's network, so localhost is this Worker; docker run passes SIGTERM on to tini and the trainer.
  const pass = Object.keys(env).flatMap((k) => ["-e", k]);
  return ["docker", ["run", "--rm", "--network", "host", ...pass, "moneymoney-trainer:latest"], env];
}

if (process.env.TRAINER !== "off") {
  await workerUp();
  const [cmd, args, env] = trainerCommand();
  trainer = supervise("trainer", cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    onLine: (line) => console.log(`dev: ${line}`),
  });
  console.log(
    `dev: a local trainer runs beside the Worker${process.env.TRAINER === "container" ? " in its container image" : ""} (TRAINER=off npm run dev to leave it out)`,
  );
}
