// globalSetup of the browser tests: the suite gets its Chromium itself (Debian's package through apt when
// it runs as root, otherwise playwright-core's own download) or stops before any test with one line that
// says what to run, never a cascade of failed launches.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { chromium } from "playwright-core";
import { chromiumPath, DEBIAN_CHROMIUM } from "./chromium";

export type ChromiumPlan =
  | { kind: "use"; path: string }
  | { kind: "apt" }
  | { kind: "download" }
  | { kind: "stop"; line: string };

export interface Machine {
  /** CHROMIUM_PATH as set, or undefined. */
  chromiumEnv: string | undefined;
  /** A Chromium already here (see chromiumPath), or null. */
  found: string | null;
  isRoot: boolean;
  hasApt: boolean;
}

/** What to do about Chromium on this machine: a wrong CHROMIUM_PATH is the user's to fix, never overridden. */
export function planChromium(m: Machine): ChromiumPlan {
  if (m.found) return { kind: "use", path: m.found };
  if (m.chromiumEnv) {
    return {
      kind: "stop",
      line: `CHROMIUM_PATH=${m.chromiumEnv} is not there: point it at a Chromium binary, or unset it and \`npm test\` fetches one`,
    };
  }
  return m.isRoot && m.hasApt ? { kind: "apt" } : { kind: "download" };
}

const STOP_LINE =
  "No Chromium for the browser tests and fetching one failed: run `apt-get install chromium` (as root) or `npx playwright-core install chromium`, or set CHROMIUM_PATH";

function run(file: string, args: string[]): boolean {
  try {
    execFileSync(file, args, {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    return true;
  } catch {
    return false;
  }
}

function aptInstall(): string | null {
  const install = () => run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"]);
  if (!install() && !(run("apt-get", ["update"]) && install())) return null;
  return existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : null;
}

function download(): string | null {
  const cli = path.join(
    path.dirname(createRequire(import.meta.url).resolve("playwright-core/package.json")),
    "cli.js",
  );
  if (!run(process.execPath, [cli, "install", "chromium"])) return null;
  const downloaded = chromium.executablePath();
  return existsSync(downloaded) ? downloaded : null;
}

/** The path of a Chromium for this run, fetched when needed, or the one line that says what to run. */
export function ensureChromium(): { path: string } | { line: string } {
  const plan = planChromium({
    chromiumEnv: process.env.CHROMIUM_PATH || undefined,
    found: chromiumPath(),
    isRoot: process.getuid?.() === 0,
    hasApt: existsSync("/usr/bin/apt-get"),
  });
  if (plan.kind === "use") return { path: plan.path };
  if (plan.kind === "stop") return { line: plan.line };
  process.stderr.write(
    `browser tests: fetching Chromium (${plan.kind === "apt" ? "apt-get install chromium" : "playwright-core install chromium"}), once\n`,
  );
  const fetched = plan.kind === "apt" ? (aptInstall() ?? download()) : download();
  return fetched ? { path: fetched } : { line: STOP_LINE };
}

export default function setup(): void {
  const chromiumFor = ensureChromium();
  if ("line" in chromiumFor) {
    process.stderr.write(`${chromiumFor.line}\n`);
    process.exit(1);
  }
  // The test workers start after this and inherit it: every launch uses the same binary.
  process.env.CHROMIUM_PATH = chromiumFor.path;
}
