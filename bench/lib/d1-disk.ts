// What the local D1 database holds: row counts through wrangler, and bytes per table (with its
// indexes) from SQLite's dbstat, read with python3's sqlite3 when it is installed (D1 itself does not
// expose dbstat). Run with the Worker stopped.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./local-worker";

export interface D1Holdings {
  recentCandles: number;
  rollups1h: number;
  rollups1D: number;
  candleDays: number;
  indexedBytes: number;
  indexedCandles: number;
  /** table -> bytes of the table and its indexes; null without python3 */
  tableBytes: Record<string, number> | null;
}

const DBSTAT = `
import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
out = {}
for name, tbl, size in c.execute("select d.name, coalesce(m.tbl_name, d.name), sum(d.pgsize) from dbstat d left join sqlite_schema m on m.name = d.name group by d.name"):
    out[tbl] = out.get(tbl, 0) + size
print(json.dumps(out))
`;

/** `wrangler d1 execute --local` on a state folder (the Worker must be stopped); rows of the query. */
export async function queryLocalD1(persistTo: string, sql: string): Promise<Record<string, unknown>[]> {
  const out = path.join(persistTo, `d1-query-${Date.now()}.json`);
  const fd = openSync(out, "w");
  await new Promise<void>((resolve, reject) => {
    const p = spawn(
      "npx",
      ["wrangler", "d1", "execute", "DB", "--local", "--persist-to", persistTo, "--json", "--command", sql],
      { cwd: ROOT, stdio: ["ignore", fd, "ignore"] },
    );
    p.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`d1 execute failed (${code})`))));
  });
  closeSync(fd);
  const parsed = JSON.parse(readFileSync(out, "utf8")) as { results: Record<string, unknown>[] }[];
  rmSync(out);
  return parsed[0]?.results ?? [];
}

function tableBytes(persistTo: string): Record<string, number> | null {
  const dir = path.join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => /^[0-9a-f]{64}\.sqlite$/.test(f));
  if (!file) return null;
  const r = spawnSync("python3", ["-c", DBSTAT, path.join(dir, file)], { encoding: "utf8" });
  return r.status === 0 ? (JSON.parse(r.stdout) as Record<string, number>) : null;
}

export async function d1Holdings(persistTo: string, profileId: number): Promise<D1Holdings> {
  const [row] = await queryLocalD1(
    persistTo,
    `select
      (select count(*) from candles where profile_id = ${profileId}) as recent,
      (select count(*) from candle_rollups where profile_id = ${profileId} and timeframe = '1h') as h,
      (select count(*) from candle_rollups where profile_id = ${profileId} and timeframe = '1D') as d,
      (select count(*) from candle_days where profile_id = ${profileId}) as days,
      (select coalesce(sum(bytes), 0) from candle_days where profile_id = ${profileId}) as bytes,
      (select coalesce(sum(candles), 0) from candle_days where profile_id = ${profileId}) as candles`,
  );
  const n = (k: string) => Number(row?.[k] ?? 0);
  return {
    recentCandles: n("recent"),
    rollups1h: n("h"),
    rollups1D: n("d"),
    candleDays: n("days"),
    indexedBytes: n("bytes"),
    indexedCandles: n("candles"),
    tableBytes: tableBytes(persistTo),
  };
}
