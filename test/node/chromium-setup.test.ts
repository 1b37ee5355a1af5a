// A fresh machine: the browser tests get their Chromium themselves or stop before any test with one line.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { planChromium } from "../helpers/chromium-setup";

const ROOT = path.resolve(import.meta.dirname, "../..");
const none = { chromiumEnv: undefined, found: null, isRoot: false, hasApt: false };

describe("the browser tests' Chromium", () => {
  it("uses one already here, installs Debian's as root with apt, downloads playwright's otherwise", () => {
    expect(planChromium({ ...none, found: "/usr/bin/chromium", isRoot: true, hasApt: true })).toEqual({
      kind: "use",
      path: "/usr/bin/chromium",
    });
    expect(planChromium({ ...none, isRoot: true, hasApt: true })).toEqual({ kind: "apt" });
    expect(planChromium({ ...none, isRoot: false, hasApt: true })).toEqual({ kind: "download" });
    expect(planChromium({ ...none, isRoot: true, hasApt: false })).toEqual({ kind: "download" });
  });

  it("never overrides a CHROMIUM_PATH that points nowhere: it says so in one line", () => {
    const plan = planChromium({ ...none, chromiumEnv: "/nowhere/chromium", isRoot: true, hasApt: true });
    expect(plan.kind).toBe("stop");
    expect(plan.kind === "stop" && plan.line).toMatch(
      /^CHROMIUM_PATH=\/nowhere\/chromium is not there: .*\n?$/,
    );
  });

  it("stops a browser test run at once with that one line, before any test fails", () => {
    const started = Date.now();
    const run = spawnSync(
      process.execPath,
      [
        path.join(ROOT, "node_modules/vitest/vitest.mjs"),
        "run",
        "--project",
        "browser",
        "test/node/e2e-browser.test.ts",
      ],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, CHROMIUM_PATH: "/nowhere/chromium", NO_COLOR: "1" },
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([
      "CHROMIUM_PATH=/nowhere/chromium is not there: point it at a Chromium binary, or unset it and `npm test` fetches one",
    ]);
    expect(run.stdout).not.toMatch(/FAIL|browserType\.launch|✓|×/);
    expect(Date.now() - started).toBeLessThan(45_000);
  });
});
