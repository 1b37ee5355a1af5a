// CPU time used by a process group (a wrangler dev server: its Node process and its workerd runtimes),
// from /proc. On a machine shared with other jobs wall time swells with the wait for a core; the CPU
// a request costs does not, so benches report both.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

export interface GroupCpu {
  /** ms of CPU (user + system) of the group's workerd processes */
  workerd: number;
  /** ms of CPU of the group's other processes (wrangler's Node side, npm) */
  other: number;
}

/** CPU used so far by the live processes of process group `pgid`. */
export function groupCpu(pgid: number): GroupCpu {
  const total: GroupCpu = { workerd: 0, other: 0 };
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
    const close = stat.lastIndexOf(")");
    const name = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    if (Number(fields[2]) !== pgid) continue; // field 5: process group
    const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND; // utime + stime
    if (name === "workerd") total.workerd += ms;
    else total.other += ms;
  }
  return total;
}

/** Resident bytes of one or more processes, and of them anonymous (not file pages). */
export interface ProcessMemory {
  rss: number;
  anon: number;
}

/**
 * workerd's memory under a `wrangler dev` started as process `root` and serving `port`: all of it, and
 * per process (wrangler's proxy runtime listens on `port`; the other is the Worker's runtime).
 */
export function wranglerDevMemory(root: number, port: number) {
  const all = treeWorkerdMemory(root);
  const pick = (proxy: boolean): ProcessMemory => {
    const ps = all.filter((p) => p.cmdline.includes(`entry=127.0.0.1:${port} `) === proxy);
    return { rss: ps.reduce((a, p) => a + p.rss, 0), anon: ps.reduce((a, p) => a + p.anon, 0) };
  };
  return { rss: all.reduce((a, p) => a + p.rss, 0), processes: { proxy: pick(true), worker: pick(false) } };
}

/** One workerd process: resident bytes (all, and anonymous: not file pages) and its command line. */
export interface WorkerdMemory {
  pid: number;
  rss: number;
  anon: number;
  cmdline: string;
}

/** The live workerd processes descended from process `root` (in any process group), with their memory. */
export function treeWorkerdMemory(root: number): WorkerdMemory[] {
  const procs = new Map<number, { parent: number; name: string }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const parent = Number(stat.slice(close + 2).split(" ")[1]); // field 4: parent process
      procs.set(Number(entry), { parent, name: stat.slice(stat.indexOf("(") + 1, close) });
    } catch {
      // ended meanwhile
    }
  }
  const under = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      if (p === root) return true;
      p = procs.get(p)?.parent ?? 0;
    }
    return false;
  };
  const out: WorkerdMemory[] = [];
  for (const [pid, { name }] of procs) {
    if (name !== "workerd" || !under(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = (field: string) =>
        Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
      out.push({ pid, rss: kb("VmRSS"), anon: kb("RssAnon"), cmdline });
    } catch {
      // ended meanwhile
    }
  }
  return out;
}
