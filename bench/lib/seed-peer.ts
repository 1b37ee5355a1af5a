// The seed-design peer (../shared/peers/seed_platform.py: FastAPI + PostgreSQL + pandas resample on
// demand), started by the bench itself: the local PostgreSQL cluster is started when it is down (and
// stopped again afterwards), the BTCUSDT year is loaded into it when its table is missing (~1 minute),
// then the peer serves on a free port as the postgres user. Needs the Debian packages postgresql,
// python3-fastapi, uvicorn, python3-psycopg2 and python3-pandas, and root (for setpriv / su).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import path from "node:path";
import { freePort, ROOT } from "./local-worker";

const PEER = path.resolve(ROOT, "../shared/peers/seed_platform.py");
const YEAR_FILES = path.resolve(ROOT, "../shared/data/binance");

const asPostgres = (cmd: string[]) => ["--reuid=postgres", "--regid=postgres", "--init-groups", ...cmd];

function clusters(): { version: string; name: string; online: boolean }[] {
  return execFileSync("pg_lsclusters", ["--no-header"], { encoding: "utf8" })
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split(/\s+/))
    .map(([version, name, , status]) => ({ version, name, online: status === "online" }));
}

function sql(query: string): string {
  return execFileSync("setpriv", asPostgres(["psql", "-tAc", query]), {
    encoding: "utf8",
    cwd: "/tmp",
  }).trim();
}

export interface SeedPeer {
  url: (symbol: string, tf: string, limit: number) => string;
  stop(): void;
}

export async function startSeedPeer(): Promise<SeedPeer> {
  const cluster = clusters()[0];
  if (!cluster) throw new Error("no PostgreSQL cluster: apt-get install postgresql (see ../shared/peers)");
  let started = !cluster.online;
  if (started) execFileSync("pg_ctlcluster", [cluster.version, cluster.name, "start"]);
  const stopCluster = () => {
    if (started) execFileSync("pg_ctlcluster", [cluster.version, cluster.name, "stop"]);
    started = false;
  };
  try {
    if (sql("select to_regclass('ohlcv_data') is not null") !== "t") {
      console.log("loading the BTCUSDT year into the peer's PostgreSQL (about a minute) ...");
      const files = execFileSync("sh", ["-c", `ls ${YEAR_FILES}/BTCUSDT-1m-*.csv.gz`], { encoding: "utf8" })
        .trim()
        .split("\n");
      execFileSync("setpriv", asPostgres(["/usr/bin/python3", PEER, "load", ...files]), {
        cwd: "/tmp",
        stdio: "ignore",
      });
    }
  } catch (err) {
    stopCluster();
    throw err;
  }
  const port = await freePort();
  const peer: ChildProcess = spawn("setpriv", asPostgres(["/usr/bin/python3", PEER, "serve", String(port)]), {
    stdio: "ignore",
    cwd: "/tmp",
  });
  const stop = () => {
    if (peer.exitCode === null) peer.kill("SIGTERM");
    stopCluster();
  };
  process.once("exit", stop);
  const url = (symbol: string, tf: string, limit: number) =>
    `http://127.0.0.1:${port}/api/user/instruments/${symbol}/data/${tf}?limit=${limit}`;
  for (let i = 0; i < 120; i++) {
    if ((await fetch(url("BTCUSDT", "1M", 1)).catch(() => null))?.ok) return { url, stop };
    await new Promise((r) => setTimeout(r, 500));
  }
  stop();
  throw new Error("the seed-design peer did not answer");
}
