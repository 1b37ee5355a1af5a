// `npm run demo` as a child process, for the end-to-end test and the benches: on its own state folder
// and port, ready once it prints its "demo: ready {...}" line, stopped as Ctrl-C stops it.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** What the demo's ready line says. */
export interface DemoReady {
  url: string;
  user: { email: string; password: string };
  seconds: number;
}

export interface DemoProcess {
  child: ChildProcess;
  /** Resolves with the ready line; rejects when the demo exits before it. */
  ready: Promise<DemoReady>;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
}

export function startDemo(opts: { port: number; state: string; env?: Record<string, string> }): DemoProcess {
  const child = spawn("npx", ["tsx", "scripts/demo.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...opts.env, PORT: String(opts.port), DEMO_STATE: opts.state },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const ready = new Promise<DemoReady>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = output.match(/^demo: ready (\{.*\})$/m);
      if (m) resolve(JSON.parse(m[1]));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) =>
      reject(new Error(`the demo exited (${code}) before it was ready:\n${output}`)),
    );
  });
  return { child, ready, output: () => output };
}

/** Sends the whole process group `signal` (SIGINT is what Ctrl-C does); resolves with its exit code or signal. */
export async function stopDemo(child: ChildProcess, signal: NodeJS.Signals = "SIGINT"): Promise<string> {
  if (child.exitCode !== null || child.signalCode !== null) return `${child.exitCode ?? child.signalCode}`;
  const exited = new Promise<string>((resolve) => child.on("exit", (code, sig) => resolve(`${code ?? sig}`)));
  try {
    process.kill(-child.pid!, signal);
  } catch {
    return `${child.exitCode ?? child.signalCode}`; // the group is gone already
  }
  return exited;
}
