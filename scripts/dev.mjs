// `npm run dev`: secrets, web build, local migrations, then wrangler dev with a once-a-minute cron tick.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const port = process.env.PORT ?? "8787";
const CRON_TICK_MS = 60_000;

function run(cmd, args) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: "inherit", shell: false });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

/** Writes .dev.vars with a fresh random value for every secret listed in .dev.vars.example. */
function ensureDevVars() {
  const file = path.join(root, ".dev.vars");
  if (existsSync(file)) return;
  const lines = readFileSync(path.join(root, ".dev.vars.example"), "utf8").split("\n");
  const out = lines
    .filter((l) => /^[A-Z_]+=/.test(l))
    .map((l) => {
      const name = l.split("=")[0];
      const secret = /SECRET|TOKEN/.test(name);
      return `${name}=${secret ? randomBytes(32).toString("base64url") : (process.env[name] ?? "")}`;
    });
  writeFileSync(file, `${out.join("\n")}\n`, { mode: 0o600 });
  console.log("dev: wrote .dev.vars with fresh random secrets (ADMIN_BOOTSTRAP_TOKEN is in there)");
}

ensureDevVars();
run("npm", ["run", "build"]);
run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]);

const dev = spawn(
  "npx",
  ["wrangler", "dev", "--port", port, "--test-scheduled", "--show-interactive-dev-session=false"],
  {
    cwd: root,
    stdio: "inherit",
  },
);

// wrangler dev never fires Cron Triggers by itself; tick the scheduled handler like production does.
const tick = setInterval(() => {
  fetch(`http://localhost:${port}/__scheduled?cron=*+*+*+*+*`).catch(() => {});
}, CRON_TICK_MS);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    clearInterval(tick);
    dev.kill(signal);
  });
}
dev.on("exit", (code) => {
  clearInterval(tick);
  process.exit(code ?? 0);
});
