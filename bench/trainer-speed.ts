// Per-instrument training time, before and after: the four models with the rolling evaluation on the
// BTCUSDT year (8,784 hourly candles), fitted by an earlier commit's trainer (--base, extracted with git
// archive into .tmp/) and by this checkout's, in alternating runs on the same machine; then whether
// both gave the same numbers (metrics, parameters, evaluation forecasts: the largest relative difference).
// Run: npx tsx bench/trainer-speed.ts [--base 9f4c75e] [--rounds 1] [--threads default|0]
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { MODEL_TYPES } from "../core/models/model-types";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    // The last commit before the fleet work: its trainer fitted everything on one thread.
    base: { type: "string", default: "9f4c75e" },
    rounds: { type: "string", default: "1" },
    threads: { type: "string", default: "default" },
  },
});

interface Metrics {
  skill: number;
  dm_pvalue: number | null;
  coverage_95: number | null;
  folds: unknown[];
}

interface Run {
  candles: number;
  maxRssMb: number;
  models: Record<
    string,
    { wall: number; cpu: number; metrics: Metrics; parameters: unknown; evaluation: unknown }
  >;
}

function checkout(commit: string): string {
  const dir = path.join(ROOT, ".tmp", `bench-base-${commit}`);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    execFileSync("sh", ["-c", `git archive ${commit} | tar -x -C "${dir}"`], { cwd: ROOT });
    symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
  }
  return dir;
}

function run(root: string): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, ROOT_UNDER_TEST: root };
  if (values.threads !== "default") env.TRAINER_FIT_THREADS = values.threads;
  // Each side runs with its own trainer's Node flags (package.json "trainer": e.g. --max-semi-space-size).
  const script: string = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).scripts.trainer;
  const flags = script.match(/--max-[a-z-]+=\d+/g) ?? [];
  const r = spawnSync(process.execPath, [...flags, "--import", "tsx", "bench/lib/train-instrument.ts"], {
    cwd: ROOT,
    env,
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split("\n").at(-1)!);
}

/** The largest relative difference between two JSON values' numbers (0 when they are equal). */
function maxRelDiff(a: unknown, b: unknown): number {
  if (typeof a === "number" && typeof b === "number")
    return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
  if (a && typeof a === "object" && b && typeof b === "object")
    return Math.max(
      0,
      ...Object.keys(a).map((k) =>
        maxRelDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      ),
    );
  return a === b ? 0 : Number.POSITIVE_INFINITY;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");
const base = checkout(values.base);
const runs: { side: "before" | "after"; run: Run; load: string }[] = [];
for (let i = 0; i < Number(values.rounds); i++) {
  for (const [side, root] of [
    ["before", base],
    ["after", ROOT],
  ] as const) {
    const at = load();
    runs.push({ side, run: run(root), load: at });
    const r = runs.at(-1)!;
    const total = Object.values(r.run.models).reduce((s, m) => s + m.wall, 0);
    console.log(
      `${side.padEnd(6)} ${total.toFixed(1)} s wall (load ${at}), peak RSS ${r.run.maxRssMb.toFixed(0)} MB: ` +
        MODEL_TYPES.map(
          (t) => `${t} ${r.run.models[t].wall.toFixed(1)} s / ${r.run.models[t].cpu.toFixed(1)} s CPU`,
        ).join(", "),
    );
  }
}
const before = runs.filter((r) => r.side === "before").at(-1)!.run;
const after = runs.filter((r) => r.side === "after").at(-1)!.run;
for (const t of MODEL_TYPES) {
  const [x, y] = [before.models[t], after.models[t]];
  const m = (o: Run["models"][string]) =>
    `skill ${(o.metrics.skill * 100).toFixed(3)}%, DM p ${o.metrics.dm_pvalue?.toFixed(3)}, cover ${o.metrics.coverage_95?.toFixed(3)}, folds ${o.metrics.folds.length}`;
  console.log(
    `${t.padEnd(14)} ${m(x)} -> ${m(y)}; largest relative difference ${maxRelDiff(x, { ...y, wall: x.wall, cpu: x.cpu }).toExponential(1)}`,
  );
}
