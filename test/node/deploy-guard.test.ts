// Nothing of `npm run demo` reaches a deployment: no demo settings in wrangler.toml, no simulator code
// in the Worker bundle, and the demo's state outside everything wrangler uploads; and the deployed
// Worker believes the client address Cloudflare sets.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addressProblems, demoLeaks } from "../../scripts/lib/deploy-guard.mjs";
import { isSimulated } from "../../worker/market/simulated";

const ROOT = path.resolve(import.meta.dirname, "../..");
const toml = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(path.join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [path.join(dir, e.name)]
        : [],
  );
}

describe("deploying never ships the demo", () => {
  it("refuses demo settings in wrangler.toml and passes the committed one", () => {
    expect(demoLeaks(toml)).toEqual([]);
    expect(demoLeaks(`${toml}\nSIMULATED_SYMBOLS = "SIMUSDT"\n`)).toHaveLength(1);
    expect(demoLeaks(`[vars]\nEXCHANGE_BASE_URL = "http://127.0.0.1:9100"\n`)).toHaveLength(1);
    expect(demoLeaks(`[vars]\nEXCHANGE_BASE_URL = "https://data-api.binance.vision"\n`)).toEqual([]);
    expect(demoLeaks(`[vars]\nPUSH_ALLOW_LOOPBACK = "true"\n`)).toHaveLength(1);
    expect(demoLeaks(`# SIMULATED_SYMBOLS = "SIMUSDT"\nSIMULATED_SYMBOLS = ""\n`)).toEqual([]);
  });

  it("deploys only a Worker that keys clients by Cloudflare's CF-Connecting-IP (issue 22.8)", () => {
    expect(addressProblems(toml)).toEqual([]);
    const local = toml.replace(/^TRUST_CF_CONNECTING_IP = "true"$/m, 'TRUST_CF_CONNECTING_IP = "false"');
    expect(local).not.toBe(toml);
    expect(addressProblems(local)).toHaveLength(1);
    expect(addressProblems(`[vars]\n# TRUST_CF_CONNECTING_IP = "true"\n`)).toHaveLength(1);
    expect(addressProblems(`[vars]\nTRUST_CF_CONNECTING_IP = ""\n`)).toHaveLength(1);
  });

  it("keeps the simulator and the demo out of the Worker's imports", () => {
    for (const file of [...sources(path.join(ROOT, "worker")), ...sources(path.join(ROOT, "core"))]) {
      expect(readFileSync(file, "utf8"), file).not.toMatch(/from "[./]*\/?scripts\//);
    }
  });

  it("marks a symbol simulated only where the demo's env names it", () => {
    expect(isSimulated({}, "SIMUSDT")).toBe(false);
    expect(isSimulated({ SIMULATED_SYMBOLS: "" }, "SIMUSDT")).toBe(false);
    expect(isSimulated({ SIMULATED_SYMBOLS: "SIMUSDT" }, "simusdt")).toBe(true);
    expect(isSimulated({ SIMULATED_SYMBOLS: "SIMUSDT" }, "BTCUSDT")).toBe(false);
  });

  it("keeps the demo's state folder out of the uploaded assets", () => {
    const assets = toml.match(/^directory\s*=\s*"([^"]+)"/m)?.[1];
    expect(assets).toBe("web/dist");
    const demoState = path.resolve(ROOT, ".wrangler/demo");
    expect(demoState.startsWith(path.resolve(ROOT, assets!))).toBe(false);
  });
});
