// The trainer's container image (npm run trainer:image) against a local Worker: it trains a queued job
// end to end, and a SIGTERM mid-job releases the lease at once (exit 0) so another trainer completes
// the job without waiting for the lease to expire. wrangler dev cannot run [[containers]] offline (see
// README "Trainer fleet"), so the image runs under `docker run` on the host's network, as the fleet's
// instances run it on Cloudflare. Needs Docker (CI installs it: scripts/docker-setup.sh).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalStack, startLocalStack } from "../helpers/local-stack";
import { realKlineFile } from "../helpers/real-data";

const ROOT = path.resolve(import.meta.dirname, "../..");
const IMAGE = "moneymoney-trainer:latest";
// 18 days of the real BTCUSDT weeks: 432 hourly candles, above the 399 training needs.
const DAYS = 18;
const docker = (...args: string[]) => spawnSync("docker", args, { encoding: "utf8", timeout: 300_000 });
const dockerUp = docker("info").status === 0;
if (!dockerUp && process.env.CI)
  throw new Error("CI needs Docker for the trainer image: run scripts/docker-setup.sh");

let stack: LocalStack;
let admin: string;
let profileId: number;
const names: string[] = [];

async function job(id: number) {
  return (await stack.api("GET", `/api/admin/jobs/${id}`, admin)).json;
}

async function queue(model: string): Promise<number> {
  const res = await stack.api("POST", "/api/admin/train-models", admin, {
    profile_ids: [profileId],
    model_types: [model],
  });
  expect(res.status).toBe(202);
  return res.json.jobs[0].id;
}

/** The image as the fleet runs it, with an external trainer's credentials and the host's network. */
function runArgs(name: string, ...extra: string[]) {
  names.push(name);
  return [
    "run",
    "--name",
    name,
    "--network",
    "host",
    "-e",
    `WORKER_URL=${stack.url}`,
    "-e",
    `TRAINER_TOKEN=${stack.secrets.TRAINER_TOKEN}`,
    ...extra,
    IMAGE,
  ];
}

describe.runIf(dockerUp)("the trainer image against a local Worker", () => {
  beforeAll(async () => {
    const build = spawnSync("npm", ["run", "trainer:image"], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 600_000,
    });
    expect(build.status, build.stdout + build.stderr).toBe(0);
    stack = await startLocalStack({ files: [realKlineFile("BTCUSDT")], nowAt: "2024-03-10T23:59:00Z" });
    admin = await stack.admin();
    profileId = (await stack.api("POST", "/api/admin/profiles", admin, { symbol: "BTCUSDT" })).json.id;
    const backfill = (
      await stack.api("POST", "/api/admin/collect", admin, { symbols: ["BTCUSDT"], days: DAYS })
    ).json.jobs[0];
    for (let i = 0; (await job(backfill.id)).status !== "succeeded"; i++) {
      if (i > 480) throw new Error("backfill did not finish");
      await new Promise((r) => setTimeout(r, 250));
    }
  }, 600_000);
  afterAll(async () => {
    for (const n of names) docker("rm", "-f", n);
    await stack?.stop();
  });

  it("runs as a non-root user under tini and trains a queued job to an active model", async () => {
    const id = await queue("garch");
    const run = docker(...runArgs("mm-trainer-once", "--rm"), "--once");
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/done, garch v1 active/);
    expect((await job(id)).status).toBe("succeeded");
    const models = (await stack.api("GET", `/api/admin/models?profile_id=${profileId}`, admin)).json;
    expect(models.find((m: any) => m.model_type === "garch")).toMatchObject({
      active: true,
      status: "ready",
    });
    const who = docker(
      "run",
      "--rm",
      "--entrypoint",
      "/usr/local/bin/node",
      IMAGE,
      "-e",
      "console.log(process.getuid(), process.version)",
    );
    expect(who.stdout.trim()).toMatch(/^10001 v22\./);
    expect(docker("image", "inspect", "--format", "{{json .Config.Entrypoint}}", IMAGE).stdout).toMatch(
      /tini/,
    );
  }, 300_000);

  it("on SIGTERM mid-job releases the job at once and exits 0; another trainer then completes it", async () => {
    const id = await queue("cnn_pattern");
    const started = docker(...runArgs("mm-trainer-stopped", "-d"));
    expect(started.status, started.stderr).toBe(0);
    for (let i = 0; ; i++) {
      const j = await job(id);
      if (j.status === "running" && j.progress > 0.02) break;
      if (i > 600) throw new Error(`the job was never trained: ${JSON.stringify(j)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const t0 = Date.now();
    // docker stop sends SIGTERM to tini, which forwards it; SIGKILL only after 60 s.
    expect(docker("stop", "-t", "60", "mm-trainer-stopped").status).toBe(0);
    const stopSeconds = (Date.now() - t0) / 1000;
    expect(docker("inspect", "--format", "{{.State.ExitCode}}", "mm-trainer-stopped").stdout.trim()).toBe(
      "0",
    );
    expect(stopSeconds).toBeLessThan(30);
    const logs = docker("logs", "mm-trainer-stopped");
    expect(logs.stdout).toMatch(new RegExp(`SIGTERM: claiming nothing more, releasing job ${id}`));
    const released = await job(id);
    expect(released).toMatchObject({ status: "queued", attempts: 0 });
    expect(released.message).toMatch(/released by/);
    // No lease to wait for: the next trainer takes it at once.
    const next = docker(...runArgs("mm-trainer-next", "--rm"), "--once");
    expect(next.status, next.stdout + next.stderr).toBe(0);
    expect(await job(id)).toMatchObject({ status: "succeeded", attempts: 1 });
  }, 300_000);
});
