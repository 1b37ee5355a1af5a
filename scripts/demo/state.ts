// The demo's own folder (never `npm run dev`'s .wrangler/state): local D1/R2/DO state, the secrets and
// accounts it made on its first run (demo.json, mode 600), the env file wrangler reads, and logs.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LOCAL_VARS } from "../lib/local-vars.mjs";

export interface DemoConfig {
  secrets: Record<"JWT_SECRET" | "ADMIN_JWT_SECRET" | "TRAINER_TOKEN" | "ADMIN_BOOTSTRAP_TOKEN", string>;
  admin: { email: string; password: string; name: string };
  user: { email: string; password: string };
}

export interface DemoPaths {
  dir: string;
  state: string;
  config: string;
  vars: string;
  wranglerLog: string;
  trainerLog: string;
}

const random = (bytes = 32) => randomBytes(bytes).toString("base64url");

export function demoPaths(root: string): DemoPaths {
  const dir = path.resolve(root, process.env.DEMO_STATE ?? ".wrangler/demo");
  return {
    dir,
    state: path.join(dir, "state"),
    config: path.join(dir, "demo.json"),
    vars: path.join(dir, "vars"),
    wranglerLog: path.join(dir, "wrangler.log"),
    trainerLog: path.join(dir, "trainer.log"),
  };
}

/** demo.json as the first run wrote it, or a fresh one (random secrets and passwords). */
export function loadOrCreateConfig(paths: DemoPaths): { config: DemoConfig; fresh: boolean } {
  mkdirSync(paths.state, { recursive: true });
  if (existsSync(paths.config)) {
    return { config: JSON.parse(readFileSync(paths.config, "utf8")) as DemoConfig, fresh: false };
  }
  const config: DemoConfig = {
    secrets: {
      JWT_SECRET: random(),
      ADMIN_JWT_SECRET: random(),
      TRAINER_TOKEN: random(),
      ADMIN_BOOTSTRAP_TOKEN: random(),
    },
    admin: { email: "demo-admin@example.com", password: random(12), name: "Demo admin" },
    user: { email: "demo@example.com", password: random(12) },
  };
  writeFileSync(paths.config, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return { config, fresh: true };
}

/** The env file wrangler dev reads: the demo's secrets, the simulator's URL, the simulated symbol. */
export function writeVars(paths: DemoPaths, config: DemoConfig, exchangeUrl: string, symbol: string) {
  const vars = {
    ...config.secrets,
    ...LOCAL_VARS,
    // bench/soak.ts simulates 50 traders from this one machine and names each one's address in
    // CF-Connecting-IP, as Cloudflare's edge does; nothing else sets this.
    ...(process.env.DEMO_TRUST_CF_CONNECTING_IP === "true" ? { TRUST_CF_CONNECTING_IP: "true" } : {}),
    EXCHANGE_BASE_URL: exchangeUrl,
    SIMULATED_SYMBOLS: symbol,
  };
  const text = Object.entries(vars)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");
  writeFileSync(paths.vars, `${text}\n`, { mode: 0o600 });
}
