// Measures what a login costs in the Worker: wrangler dev (local workerd) serves the real app, and
// each login is timed from outside one at a time, next to a request that does no hashing.
// Run: npx tsx bench/login-cpu.ts
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { wranglerEnv } from "../scripts/lib/local-vars.mjs";
import { postJson } from "./lib/user-api";

const PORT = 8799;
const RUNS = 15;
const root = path.resolve(import.meta.dirname, "..");
const base = `http://127.0.0.1:${PORT}`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timed(init: () => Promise<Response>) {
  const t0 = performance.now();
  const res = await init();
  await res.arrayBuffer();
  return { ms: performance.now() - t0, status: res.status };
}

async function main() {
  const state = mkdtempSync(path.join(tmpdir(), "mm-bench-"));
  const vars = path.join(state, "vars");
  const secret = () => randomBytes(32).toString("base64url");
  writeFileSync(
    vars,
    ["JWT_SECRET", "ADMIN_JWT_SECRET", "TRAINER_TOKEN", "ADMIN_BOOTSTRAP_TOKEN"]
      .map((n) => `${n}=${secret()}`)
      .join("\n"),
  );
  const run = (args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const p = spawn("npx", ["wrangler", ...args, "--persist-to", state], { cwd: root, stdio: "ignore" });
      p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`wrangler ${args[0]} failed`))));
    });
  await run(["d1", "migrations", "apply", "DB", "--local"]);
  const dev = spawn(
    "npx",
    ["wrangler", "dev", "--port", String(PORT), "--env-file", vars, "--persist-to", state],
    {
      cwd: root,
      env: wranglerEnv(),
      stdio: "ignore",
      detached: true,
    },
  );
  try {
    for (
      let i = 0;
      i < 120 &&
      !(await fetch(`${base}/api/health`)
        .then((r) => r.ok)
        .catch(() => false));
      i++
    ) {
      await new Promise((r) => setTimeout(r, 500));
    }
    const email = "bench@example.com";
    const password = "bench password 123";
    const signup = await timed(() => postJson(base, "/api/auth/signup", { email, password }));
    if (signup.status !== 201) throw new Error(`signup answered ${signup.status}`);
    const login: number[] = [];
    const noHash: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Distinct client addresses keep the failed-login throttle out of the way.
      const ok = await timed(() => postJson(base, "/api/auth/login", { email, password }));
      if (ok.status !== 200) throw new Error(`login answered ${ok.status}`);
      login.push(ok.ms);
      noHash.push((await timed(() => postJson(base, "/api/auth/login", { email }))).ms);
    }
    const l = median(login);
    const n = median(noHash);
    console.log(
      `login (Argon2id m=19456 KiB, t=2, p=1 verify + token), median of ${RUNS}: ${l.toFixed(1)} ms`,
    );
    console.log(`same route rejected before hashing (400), median of ${RUNS}: ${n.toFixed(1)} ms`);
    console.log(
      `=> CPU a login costs in the Worker: ~${(l - n).toFixed(1)} ms (signup, one hash: ${signup.ms.toFixed(1)} ms)`,
    );
  } finally {
    process.kill(-dev.pid!, "SIGTERM");
  }
}

await main();
