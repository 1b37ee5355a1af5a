// What a full retrain of 1,000 instruments takes on the trainer fleet: hours and dollars with N instances
// of each published Cloudflare Containers instance type, from the CPU one instrument's four models take
// here (the BTCUSDT year, measured by bench/lib/train-instrument.ts on one thread and on the default
// fit threads), the trainer's peak memory, and the image's size.
// Run: npx tsx bench/fleet-cost.ts [--instances 4,16,64] [--instruments 1000]
//      [--cpu S --rss MB --efficiency E]   (figures from an earlier measurement instead of measuring)
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const ROOT = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    instances: { type: "string", default: "4,16,64" },
    instruments: { type: "string", default: "1000" },
    cpu: { type: "string" },
    rss: { type: "string" },
    efficiency: { type: "string" },
  },
});

// https://developers.cloudflare.com/containers/pricing/ (Workers Paid): memory and disk are billed as
// provisioned, CPU on active usage, every 10 ms an instance runs; the monthly included usage (25
// GiB-hours, 375 vCPU-minutes, 200 GB-hours) is left out, so these are upper bounds.
const PRICE = { vcpuSecond: 0.00002, gibSecond: 0.0000025, gbDiskSecond: 0.00000007 };
// https://developers.cloudflare.com/containers/platform-details/limits/ (instance types).
const TYPES = [
  { name: "lite", vcpu: 1 / 16, memGiB: 0.25, diskGB: 2 },
  { name: "basic", vcpu: 1 / 4, memGiB: 1, diskGB: 4 },
  { name: "standard-1", vcpu: 1 / 2, memGiB: 4, diskGB: 8 },
  { name: "standard-2", vcpu: 1, memGiB: 6, diskGB: 12 },
  { name: "standard-3", vcpu: 2, memGiB: 8, diskGB: 16 },
  { name: "standard-4", vcpu: 4, memGiB: 12, diskGB: 20 },
];

interface Measured {
  maxRssMb: number;
  models: Record<string, { wall: number; cpu: number }>;
}

function measure(threads: string): Measured {
  const env = { ...process.env, TRAINER_FIT_THREADS: threads };
  // With the Node flags the trainer runs with (package.json "trainer").
  const script: string = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.trainer;
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

const sum = (m: Measured, k: "wall" | "cpu") => Object.values(m.models).reduce((s, x) => s + x[k], 0);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

let cpu: number;
let efficiency: number;
let rssGiB: number;
if (values.cpu && values.rss && values.efficiency) {
  [cpu, efficiency, rssGiB] = [Number(values.cpu), Number(values.efficiency), Number(values.rss) / 1024];
  console.log(
    `given: ${cpu} CPU s per instrument, a second core worth ${efficiency}, peak RSS ${values.rss} MB`,
  );
} else {
  console.log(`measuring one instrument on one thread, then on the default fit threads (load ${load()}) ...`);
  const single = measure("0");
  const parallel = measure("");
  cpu = sum(single, "cpu");
  // How much of a second core the fit threads turn into speed here (1 = all of it).
  efficiency = sum(single, "wall") / sum(parallel, "wall") - 1;
  rssGiB = Math.max(single.maxRssMb, parallel.maxRssMb) / 1024;
  console.log(
    `one instrument: ${cpu.toFixed(1)} CPU s (${sum(single, "wall").toFixed(1)} s wall on one thread, ` +
      `${sum(parallel, "wall").toFixed(1)} s with the fit threads: a second core is worth ${(100 * efficiency).toFixed(0)}%), ` +
      `peak RSS ${(rssGiB * 1024).toFixed(0)} MB; load ${load()}`,
  );
}
const image = spawnSync(
  "docker",
  ["image", "inspect", "--format", "{{.Size}}", "moneymoney-trainer:latest"],
  {
    encoding: "utf8",
  },
);
console.log(
  `image: ${image.status === 0 ? `${(Number(image.stdout) / 1e6).toFixed(1)} MB uncompressed` : "not built"}`,
);

const n = Number(values.instruments);
console.log(`\n${n} instruments, full retrain (4 models each):`);
console.log("type        vCPU  mem GiB | per instrument      | $ per retrain | hours with N instances");
for (const t of TYPES) {
  // Below one vCPU the single trainer thread gets that share of a core; above, the fit threads use the
  // extra cores at the efficiency measured here.
  const speed = t.vcpu <= 1 ? t.vcpu : 1 + (t.vcpu - 1) * efficiency;
  const wall = cpu / speed;
  const dollars =
    n * (cpu * PRICE.vcpuSecond + wall * (t.memGiB * PRICE.gibSecond + t.diskGB * PRICE.gbDiskSecond));
  const fits =
    t.memGiB >= rssGiB ? "" : `  (too small: the trainer peaks at ${(rssGiB * 1024).toFixed(0)} MB)`;
  const hours = values.instances
    .split(",")
    .map((k) => `N=${k}: ${((n * wall) / Number(k) / 3600).toFixed(1)} h`)
    .join(", ");
  console.log(
    `${t.name.padEnd(11)} ${t.vcpu.toFixed(3).padStart(5)} ${String(t.memGiB).padStart(7)} | ${wall.toFixed(0).padStart(6)} s wall | ${`$${dollars.toFixed(2)}`.padStart(13)} | ${hours}${fits}`,
  );
}
