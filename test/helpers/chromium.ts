// The one way tests, screenshots and benchmarks start Chromium: CHROMIUM_PATH, Debian's build or the one
// playwright-core downloaded, headless, without a sandbox, GPU or background network chatter.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** The Chromium already on this machine: CHROMIUM_PATH when set, else Debian's, else playwright-core's download. */
export function chromiumPath(): string | null {
  if (process.env.CHROMIUM_PATH)
    return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const downloaded = chromium.executablePath();
  return existsSync(downloaded) ? downloaded : null;
}

export function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) {
    throw new Error(`no Chromium here: run \`npm test\` once (it fetches one) or set CHROMIUM_PATH`);
  }
  return chromium.launch({ executablePath, args: ARGS });
}
