// Issue 22.11: process kills kept as tests, against the real `wrangler dev` and the replay exchange on
// the committed real candles. The Worker killed (SIGKILL) mid-backfill and started again on the same
// state: the backfill resumes and ends with every candle bit-equal to the exchange's, none doubled. A
// trainer killed (SIGKILL) while its artifact is on the wire: nothing is stored or activated, and the
// retry by another trainer, once the lease ran out (15 s here), activates exactly one version.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Candle } from "../../core/candles/types";
import { minTrainingCandles } from "../../core/models/fold-plan";
import { type LocalStack, STACK_HOOK_MS, startLocalStack } from "../helpers/local-stack";
import { realCandles, realKlineFile } from "../helpers/real-data";

const ROOT = path.resolve(import.meta.dirname, "../..");
// Enough hours to train on (minTrainingCandles), and a backfill long enough to be killed in.
const DAYS = Math.ceil(minTrainingCandles() / 24) + 1;
const LEASE_SECONDS = 15;
const MINUTE = 60;
let stack: LocalStack;
let admin: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every stored 1m candle of the profile in [from, to), read back through the admin chart route. */
async function storedMinutes(profileId: number, from: number, to: number): Promise<Candle[]> {
  const out: Candle[] = [];
  for (let end = to - MINUTE; end >= from; ) {
    const res = await stack.api(
      "GET",
      `/api/admin/profiles/${profileId}/data/1m?limit=5000&end=${end}`,
      admin,
    );
    expect(res.status).toBe(200);
    const page = (res.json.candles as Candle[]).filter((c) => c.time >= from);
    if (page.length === 0) break;
    out.unshift(...page);
    end = page[0].time - MINUTE;
  }
  return out;
}

/** The trainer CLI (`--once`) as `workerId` against `url`, in its own process group. */
function trainer(url: string, workerId: string): ChildProcess & { output: string[] } {
  const child = spawn("npx", ["tsx", "trainer/cli.ts", "--once", "--worker-id", workerId], {
    cwd: ROOT,
    env: { ...process.env, WORKER_URL: url, TRAINER_TOKEN: stack.secrets.TRAINER_TOKEN },
    detached: true,
  });
  const output: string[] = [];
  child.stdout?.on("data", (b) => output.push(String(b)));
  child.stderr?.on("data", (b) => output.push(String(b)));
  return Object.assign(child, { output });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((r) =>
    child.exitCode !== null || child.signalCode !== null ? r(child.exitCode) : child.once("exit", r),
  );

/**
 * A proxy in front of the Worker that passes everything through, except an artifact upload: it sends
 * the Worker the headers and half the body, kills the uploading trainer's process group with SIGKILL,
 * and drops both connections, as the trainer's death would. Resolves `killed` then.
 */
async function killOnUpload(target: string, victim: () => ChildProcess) {
  let done = () => {};
  const killed = new Promise<void>((r) => {
    done = r;
  });
  const server = createServer((req, res) => {
    const upstream = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on("error", () => res.destroy());
    if (req.method !== "PUT" || !req.url?.includes("/artifact")) return void req.pipe(upstream);
    req.once("data", (chunk: Buffer) => {
      upstream.write(chunk.subarray(0, chunk.length >> 1));
      process.kill(-victim().pid!, "SIGKILL");
      done();
      setTimeout(() => {
        upstream.destroy();
        res.destroy();
      }, 200);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, killed, close: () => new Promise((r) => server.close(r)) };
}

/** The files the local R2 bucket keeps its objects' bytes in. */
const r2Blobs = () => readdirSync(path.join(stack.state, "v3", "r2", "moneymoney", "blobs")).length;

describe("process kills (issue 22.11)", () => {
  beforeAll(async () => {
    stack = await startLocalStack({
      files: [realKlineFile("BTCUSDT")],
      nowAt: "2024-03-10T23:59:00Z",
      scheduled: true,
      vars: { TRAIN_LEASE_SECONDS: String(LEASE_SECONDS) },
    });
    admin = await stack.admin();
  }, STACK_HOOK_MS);
  afterAll(async () => stack?.stop());

  it("a Worker killed mid-backfill resumes on restart, every candle the exchange's and none doubled", async () => {
    const profile = (await stack.api("POST", "/api/admin/profiles", admin, { symbol: "BTCUSDT" })).json;
    const posted = await stack.api("POST", "/api/admin/collect", admin, { symbols: ["BTCUSDT"], days: DAYS });
    expect(posted.status).toBe(202);
    const id = posted.json.jobs[0].id as number;
    const job = async () => (await stack.api("GET", `/api/admin/jobs/${id}`, admin)).json;
    let seen = await job();
    for (let i = 0; seen.progress < 0.3 && seen.status !== "succeeded"; i++) {
      if (i > 600) throw new Error(`the backfill did not reach 30% in 60 s: ${JSON.stringify(seen)}`);
      await sleep(100);
      seen = await job();
    }
    await stack.kill();
    expect(seen.status).toBe("running");
    const killedAt = seen.progress as number;
    const restarted = performance.now();
    await stack.restart();
    seen = await job();
    for (let i = 0; seen.status !== "succeeded"; i++) {
      expect(seen.status).not.toBe("failed");
      if (i > 60)
        throw new Error(`the backfill did not finish in 60 s after the restart: ${JSON.stringify(seen)}`);
      await stack.tick(); // the cron restarts a runner whose lease ran out
      await sleep(1000);
      seen = await job();
    }
    console.log(
      `killed at ${(killedAt * 100).toFixed(0)}%, finished ${((performance.now() - restarted) / 1000).toFixed(1)} s after the restart (attempts ${seen.attempts})`,
    );
    const { from, to } = seen.params as { from: number; to: number };
    const shift = stack.replay.shiftSeconds;
    const expected = realCandles("BTCUSDT")
      .map((c) => ({ ...c, time: c.time + shift }))
      .filter((c) => c.time >= from && c.time < to);
    expect(expected.length).toBeGreaterThan((DAYS - 1) * 1440);
    const stored = await storedMinutes(profile.id, from, to);
    expect(new Set(stored.map((c) => c.time)).size).toBe(stored.length); // none doubled
    expect(stored.length).toBe(expected.length);
    expect(stored).toEqual(expected); // bit-equal: the same doubles, compared with Object.is
  }, 180_000);

  it("a trainer killed mid-upload stores and activates nothing; another's retry activates one version", async () => {
    const profileId = (await stack.api("GET", "/api/admin/profiles", admin)).json[0].id as number;
    const queued = await stack.api("POST", "/api/admin/train-models", admin, {
      profile_ids: [profileId],
      model_types: ["garch"],
    });
    expect(queued.status).toBe(202);
    const id = queued.json.jobs[0].id as number;
    const blobs = r2Blobs();
    let doomed: ChildProcess & { output: string[] };
    const proxy = await killOnUpload(stack.url, () => doomed);
    doomed = trainer(proxy.url, "doomed");
    const early = exited(doomed).then(
      () => `the trainer exited before its upload:\n${doomed.output.join("")}`,
    );
    expect(await Promise.race([proxy.killed.then(() => "killed"), early])).toBe("killed");
    expect(await exited(doomed)).toBeNull(); // killed by the signal, it said nothing more
    await proxy.close();
    // Nothing stored, nothing active; the dead trainer still holds the job until its lease runs out.
    expect(r2Blobs()).toBe(blobs);
    expect((await stack.api("GET", `/api/admin/models?profile_id=${profileId}`, admin)).json).toEqual([]);
    expect((await stack.api("GET", `/api/admin/jobs/${id}`, admin)).json).toMatchObject({
      status: "running",
      attempts: 1,
    });
    await sleep(LEASE_SECONDS * 1000);
    const retry = trainer(stack.url, "retry");
    expect(await exited(retry), retry.output.join("")).toBe(0);
    expect(retry.output.join("")).toMatch(/garch v1 active/);
    const models = (await stack.api("GET", `/api/admin/models?profile_id=${profileId}`, admin)).json;
    expect(models.map((m: any) => [m.model_type, m.version, m.active, m.status])).toEqual([
      ["garch", 1, true, "ready"],
    ]);
    expect((await stack.api("GET", `/api/admin/jobs/${id}`, admin)).json).toMatchObject({
      status: "succeeded",
      attempts: 2,
    });
    expect(r2Blobs()).toBe(blobs + 1); // the retry's artifact, and only it
  }, 120_000);
});
