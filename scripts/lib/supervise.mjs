// Child processes for `npm run dev` and `npm run demo`: each in its own process group (so stopping it
// stops what it started), restarted with backoff if it dies, stopped together on Ctrl-C.
import { spawn } from "node:child_process";
import { openSync } from "node:fs";

const RESTART_BASE_MS = 1_000;
const RESTART_MAX_MS = 30_000;
/** A child that ran this long before dying is considered healthy: its restart delay starts over. */
const HEALTHY_AFTER_MS = 60_000;

/**
 * Runs `cmd args` and starts it again whenever it exits, until stop() is called.
 * `log`: a file for its stdout and stderr, or "inherit".
 */
export function supervise(name, cmd, args, { cwd, env, log = "inherit", onLine = console.log } = {}) {
  let child = null;
  let stopped = false;
  let delay = RESTART_BASE_MS;
  let timer = null;
  const start = () => {
    const started = Date.now();
    const out = log === "inherit" ? "inherit" : openSync(log, "a");
    child = spawn(cmd, args, { cwd, env, stdio: ["ignore", out, out], detached: true });
    child.on("exit", (code, signal) => {
      child = null;
      if (stopped) return;
      if (Date.now() - started > HEALTHY_AFTER_MS) delay = RESTART_BASE_MS;
      onLine(`${name}: exited (${signal ?? code}); restarting in ${(delay / 1000).toFixed(0)} s`);
      timer = setTimeout(start, delay);
      delay = Math.min(RESTART_MAX_MS, delay * 2);
    });
  };
  start();
  return {
    get pid() {
      return child?.pid ?? null;
    },
    stop(signal = "SIGTERM") {
      stopped = true;
      clearTimeout(timer);
      if (child?.pid) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      }
    },
  };
}

/** Ticks the Worker's scheduled handler once a minute, 2 s after the minute closes, as the Cron does. */
export function cronTicker(url) {
  let timer = null;
  const next = () => {
    const wait = 60_000 - (Date.now() % 60_000) + 2_000;
    timer = setTimeout(() => {
      fetch(`${url}/__scheduled?cron=*+*+*+*+*`).catch(() => {});
      next();
    }, wait);
  };
  next();
  return () => clearTimeout(timer);
}
