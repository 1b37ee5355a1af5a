// End to end: `npm run demo` from a clean state folder until the demo user sees both simulated controls
// with all four models' predictions, each recorded in the instrument's ledger right after training (the
// verifier re-checks it, and catches an entry edited on disk), then a newer candle after the next
// minute; Ctrl-C stops everything it started.
import { type ChildProcess, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http, { type IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { startDemo, stopDemo } from "../helpers/demo-process";
import { editLedgerEntry, verifyCli } from "../helpers/ledger-disk";
import { freePort } from "../helpers/local-stack";

const state = mkdtempSync(path.join(tmpdir(), "mm-demo-"));
let demo: ChildProcess | null = null;

/** A GET whose body is left as sent (node:http does not decode). */
function rawGet(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on("error", reject);
  });
}

afterAll(() => {
  if (demo?.pid && demo.exitCode === null) {
    try {
      process.kill(-demo.pid, "SIGKILL");
    } catch {}
  }
  rmSync(state, { recursive: true, force: true });
});

describe("npm run demo", () => {
  it("brings up a trained SIMUSDT for the demo user, collects a new candle every minute, and stops on Ctrl-C", async () => {
    const port = await freePort();
    const started = startDemo({ port, state });
    demo = started.child;
    const ready = await started.ready;
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(ready.user),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const get = async (p: string) =>
      (await (await fetch(`${base}${p}`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;

    // The two controls: SIMUSDT (nothing to predict) and SIMARUSDT (a weak hourly AR(1) edge).
    const instruments = await get("/api/instruments");
    expect(instruments.map((i: { symbol: string }) => i.symbol).sort()).toEqual(["SIMARUSDT", "SIMUSDT"]);
    for (const i of instruments) {
      expect(i).toMatchObject({ simulated: true });
      expect(i.price).toBeGreaterThan(0);
    }
    // Right after training, before anyone asked for a forecast: the ledger holds an entry per active
    // model (the activation recorded it) and the signal decided from them.
    const ledgerOf = async (symbol: string) => {
      const to = Math.floor(Date.now() / 1000);
      return (await get(`/api/instruments/${symbol}/ledger?from=${to - 2 * 86_400}&to=${to}`)).entries as {
        kind: string;
        model_type: string;
      }[];
    };
    for (const symbol of ["SIMUSDT", "SIMARUSDT"]) {
      let types: string[] = [];
      for (let i = 0; i < 120 && types.length < 5; i++) {
        types = [...new Set((await ledgerOf(symbol)).map((e) => e.model_type))].sort();
        if (types.length < 5) await new Promise((r) => setTimeout(r, 500));
      }
      expect(types, symbol).toEqual(["arima", "cnn_pattern", "garch", "gru_attention", "signal"]);
    }
    const predictions = await get("/api/instruments/SIMUSDT/predictions");
    expect(predictions.models.map((m: { model_type: string }) => m.model_type).sort()).toEqual([
      "arima",
      "cnn_pattern",
      "garch",
      "gru_attention",
    ]);
    for (const m of predictions.models) {
      expect(m.forecast.length).toBeGreaterThan(0);
      expect(m.metrics.n).toBeGreaterThan(0);
      expect(m.ledger?.seq, `${m.model_type}: recorded in the ledger before it was served`).toBeGreaterThan(
        0,
      );
    }
    // A ledger entry per active model right after training.
    const record = await get("/api/instruments/SIMUSDT/track-record");
    expect(record.models.map((m: { model_type: string }) => m.model_type).sort()).toEqual(
      predictions.models.map((m: { model_type: string }) => m.model_type).sort(),
    );
    for (const m of record.models) expect(m.entries).toBeGreaterThan(0);
    // 90 days of 1m candles through the backfill.
    const week = await get("/api/instruments/SIMUSDT/data/1D?limit=200");
    expect(week.candles.length).toBeGreaterThanOrEqual(90);

    // Through the whole local chain (wrangler's proxy, the assets router, the runtime's encoding): a
    // finished range, asked again and again, arrives as the same JSON gzipped or plain as asked.
    const finished = `/api/instruments/SIMUSDT/data/1h?limit=48&end=${week.candles.at(-1).time - 3 * 86_400}`;
    const plain = await get(finished);
    expect(plain.candles).toHaveLength(48);
    // (No Accept-Encoding at all: wrangler's proxy asks for gzip on the client's behalf; an empty one.)
    for (const encoding of ["gzip", "gzip", "br, gzip", undefined, "", "identity"]) {
      const res = await rawGet(`${base}${finished}`, {
        authorization: `Bearer ${token}`,
        ...(encoding === undefined ? {} : { "accept-encoding": encoding }),
      });
      expect(res.status).toBe(200);
      // gzip as kept, or (an answer built by this very request) what the runtime chose from the list
      const sent = res.headers["content-encoding"];
      if (encoding?.includes("gzip")) expect(encoding.split(", ")).toContain(sent);
      else expect(sent).toBeUndefined();
      const body =
        sent === "gzip" ? gunzipSync(res.body) : sent === "br" ? brotliDecompressSync(res.body) : res.body;
      expect(JSON.parse(body.toString())).toEqual(plain);
    }

    const latest = async () =>
      (await get("/api/instruments/SIMUSDT/data/1m?limit=1")).candles[0].time as number;
    const first = await latest();
    let now = first;
    for (let i = 0; i < 100 && now <= first; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      now = await latest();
    }
    expect(now).toBeGreaterThan(first);
    console.log(`demo ready in ${ready.seconds.toFixed(1)} s; candle ${first} -> ${now}`);

    // Anyone can re-check the record through the API; an entry edited in storage breaks the chain.
    const verify = (symbol: string) => verifyCli(base, symbol, ready.user);
    for (const symbol of ["SIMUSDT", "SIMARUSDT"])
      expect(verify(symbol).status, verify(symbol).stdout).toBe(0);
    editLedgerEntry(state, "SIMARUSDT");
    const broken = verify("SIMARUSDT");
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/MISMATCH entry 1: hash does not match the entry's bytes/);
    expect(verify("SIMUSDT").status).toBe(0);

    // What Ctrl-C does: SIGINT to the whole foreground group.
    expect(["0", "SIGINT"]).toContain(await stopDemo(started.child, "SIGINT"));
    let down = false;
    for (let i = 0; i < 40 && !down; i++) {
      down = await fetch(`${base}/api/health`).then(
        () => false,
        () => true,
      );
      if (!down) await new Promise((r) => setTimeout(r, 250));
    }
    expect(down, "the Worker still answers after Ctrl-C").toBe(true);
    // Nothing it started (wrangler, workerd, the trainer) is left running on its state folder.
    const running = () =>
      spawnSync("ps", ["-eo", "args"], { encoding: "utf8" })
        .stdout.split("\n")
        .filter((line) => line.includes(state));
    let left = running();
    for (let i = 0; i < 40 && left.length; i++) {
      await new Promise((r) => setTimeout(r, 250));
      left = running();
    }
    expect(left).toEqual([]);
  }, 420_000);
});
