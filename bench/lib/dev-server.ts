// The two ways a bench serves the Worker locally: the `wrangler dev` CLI (what `npm run dev` runs:
// devtools inspector attached, files watched) or wrangler's programmatic dev server without both.
import { startApiWorker } from "./api-worker";
import { type LocalWorker, startLocalWorker, type WorkerOptions } from "./local-worker";

export type ServerKind = "cli" | "api";

export const SERVER_LABEL: Record<ServerKind, string> = {
  cli: "wrangler dev CLI (devtools inspector attached)",
  api: "wrangler dev engine without the inspector (unstable_startWorker)",
};

export function parseServers(arg: string): ServerKind[] {
  if (arg === "both") return ["api", "cli"];
  if (arg === "cli" || arg === "api") return [arg];
  throw new Error(`--server must be cli, api or both, not ${arg}`);
}

export function startDevServer(kind: ServerKind, opts: WorkerOptions): Promise<LocalWorker> {
  return kind === "cli" ? startLocalWorker(opts) : startApiWorker(opts);
}
